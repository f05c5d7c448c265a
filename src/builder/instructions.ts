/** What each instruction's arguments mean, once variables are known. Pure. */
import { DockerfileError, jsonForm, type Instruction } from './dockerfile.js';
import { ExpandError, processWord, processWords, type Lookup } from './expand.js';

/** Runs fn, turning expansion errors into errors that carry the file and line. */
export function atLine<T>(file: string, ins: Instruction, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ExpandError) throw new DockerfileError(file, ins.line, e.message);
    throw e;
  }
}

/** ENV and LABEL pairs: `K=V K2="v 2"` or the legacy `K value with spaces`. */
export function keyValues(file: string, ins: Instruction, lookup: Lookup): Array<[string, string]> {
  return atLine(file, ins, () => {
    const first = /^\S+/.exec(ins.args)?.[0] ?? '';
    if (!first.includes('=')) {
      const m = /^(\S+)\s+([\s\S]+)$/.exec(ins.args);
      if (!m) throw new DockerfileError(file, ins.line, `${ins.keyword} ${ins.args} needs a value: use ${ins.keyword} ${ins.args}=VALUE`);
      return [[processWord(m[1] as string, lookup), processWord((m[2] as string).trim(), lookup)]];
    }
    return processWords(ins.args, lookup).map((w): [string, string] => {
      const i = w.indexOf('=');
      if (i <= 0) throw new DockerfileError(file, ins.line, `${ins.keyword} "${w}" is not in the form KEY=VALUE`);
      return [w.slice(0, i), w.slice(i + 1)];
    });
  });
}

/** ARG NAME[=default], possibly several. */
export function argDecls(file: string, ins: Instruction, lookup: Lookup): Array<{ name: string; value?: string }> {
  return atLine(file, ins, () => processWords(ins.args, lookup).map((w) => {
    const i = w.indexOf('=');
    const name = i < 0 ? w : w.slice(0, i);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new DockerfileError(file, ins.line, `invalid ARG name "${name}"`);
    return i < 0 ? { name } : { name, value: w.slice(i + 1) };
  }));
}

/** COPY/ADD sources and destination (JSON form or words), expanded. */
export function copyArgs(file: string, ins: Instruction, lookup: Lookup): { sources: string[]; dest: string } {
  return atLine(file, ins, () => {
    const json = jsonForm(ins.args);
    const words = json ? json.map((w) => processWord(w, lookup)) : processWords(ins.args, lookup);
    if (words.length < 2) throw new DockerfileError(file, ins.line, `${ins.keyword} requires at least two arguments: a source and a destination`);
    return { sources: words.slice(0, -1), dest: words[words.length - 1] as string };
  });
}

/** RUN/CMD/ENTRYPOINT argv: the JSON form as is, the shell form through the stage's SHELL. */
export function commandArgv(args: string, shell: readonly string[]): string[] {
  return jsonForm(args) ?? [...shell, args];
}

/** SHELL's JSON array. */
export function shellArgv(file: string, ins: Instruction): string[] {
  const json = jsonForm(ins.args);
  if (!json || json.length === 0) throw new DockerfileError(file, ins.line, 'SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/sh", "-c"]');
  return json;
}

/** EXPOSE ports as config keys ("80/tcp"); ranges are expanded. */
export function exposedPorts(file: string, ins: Instruction, lookup: Lookup): string[] {
  return atLine(file, ins, () => processWords(ins.args, lookup).flatMap((w) => {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(w);
    if (!m) throw new DockerfileError(file, ins.line, `invalid port "${w}" for EXPOSE: use PORT[/tcp|udp] or FROM-TO[/proto]`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    const proto = (m[3] ?? 'tcp').toLowerCase();
    if (lo < 1 || hi > 65535 || hi < lo) throw new DockerfileError(file, ins.line, `invalid port range "${w}" for EXPOSE`);
    const out: string[] = [];
    for (let p = lo; p <= hi; p++) out.push(`${p}/${proto}`);
    return out;
  }));
}

/** VOLUME paths (JSON or words). */
export function volumes(file: string, ins: Instruction, lookup: Lookup): string[] {
  return atLine(file, ins, () => {
    const json = jsonForm(ins.args);
    return json ? json.map((w) => processWord(w, lookup)) : processWords(ins.args, lookup);
  });
}

/** The single expanded argument of WORKDIR, USER, STOPSIGNAL, FROM. */
export function singleWord(file: string, ins: Instruction, lookup: Lookup): string {
  return atLine(file, ins, () => processWord(ins.args, lookup).trim());
}
