/**
 * The Dockerfile parser: logical lines (continuations, comments, directives), instructions with their
 * flags, and stages. Pure: variables are expanded later, when the build knows ARG and ENV values.
 */

/** One instruction as written, continuation lines joined. */
export interface Instruction {
  /** 1-based line where it starts. */
  line: number;
  /** Upper-case keyword, e.g. "RUN". */
  keyword: string;
  /** `--name=value` flags before the arguments (COPY --from, --chown; FROM --platform). */
  flags: Record<string, string>;
  /** The arguments, unexpanded. */
  args: string;
  /** The instruction text after the keyword and flags joined, for messages and history. */
  original: string;
}

/** A build stage: its FROM and what follows up to the next FROM. */
export interface Stage {
  index: number;
  /** Lower-case `AS` name. */
  name?: string;
  /** The image (or earlier stage) named by FROM, unexpanded. */
  base: string;
  from: Instruction;
  instructions: Instruction[];
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  /** ARGs before the first FROM: usable only in FROM lines (and re-declared in stages). */
  globalArgs: Instruction[];
  stages: Stage[];
}

/** A Dockerfile error; message is "FILE:LINE: what". */
export class DockerfileError extends Error {
  constructor(readonly file: string, readonly line: number, what: string) {
    super(`${file}:${line}: ${what}`);
  }
}

/** Instructions lcctl build runs, with the flags each accepts. */
export const INSTRUCTION_FLAGS: Record<string, readonly string[]> = {
  FROM: ['platform'], RUN: [], COPY: ['from', 'chown', 'chmod', 'link'], ADD: ['chown', 'chmod', 'link'],
  ENV: [], ARG: [], WORKDIR: [], USER: [], CMD: [], ENTRYPOINT: [], EXPOSE: [], LABEL: [], SHELL: [],
  STOPSIGNAL: [], VOLUME: [], MAINTAINER: [],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};
const UNSUPPORTED = new Set(['ONBUILD']);

/** Parses Dockerfile text; file is the name used in error messages. */
export function parseDockerfile(text: string, file = 'Dockerfile'): Dockerfile {
  const out: Dockerfile = { globalArgs: [], stages: [] };
  for (const ins of logicalLines(text, file)) {
    if (ins.keyword === 'FROM') {
      out.stages.push(parseFrom(ins, out.stages, file));
    } else if (out.stages.length === 0) {
      if (ins.keyword !== 'ARG') throw new DockerfileError(file, ins.line, `${ins.keyword} before the first FROM: only ARG may come before FROM`);
      out.globalArgs.push(ins);
    } else {
      (out.stages[out.stages.length - 1] as Stage).instructions.push(ins);
    }
  }
  if (out.stages.length === 0) throw new DockerfileError(file, 1, 'no FROM instruction: a Dockerfile must start a stage with FROM');
  return out;
}

function parseFrom(ins: Instruction, earlier: Stage[], file: string): Stage {
  const words = ins.args.split(/\s+/).filter(Boolean);
  let name: string | undefined;
  if (words.length === 3 && (words[1] as string).toLowerCase() === 'as') {
    name = (words[2] as string).toLowerCase();
    if (!/^[a-z][a-z0-9._-]*$/.test(name)) throw new DockerfileError(file, ins.line, `invalid stage name "${words[2]}": use letters, digits, '.', '_' and '-', starting with a letter`);
    if (earlier.some((s) => s.name === name)) throw new DockerfileError(file, ins.line, `duplicate stage name "${words[2]}"`);
  } else if (words.length !== 1) {
    throw new DockerfileError(file, ins.line, 'FROM requires one image, optionally followed by "AS name"');
  }
  return { index: earlier.length, name, base: words[0] as string, from: ins, instructions: [] };
}

/** Joins continuation lines, drops comments and directives, and splits keyword and flags. */
export function logicalLines(text: string, file = 'Dockerfile'): Instruction[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Instruction[] = [];
  let buf: string[] = [];
  let start = 0;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] as string;
    const trimmed = raw.trim();
    // Comment lines (and parser directives, which we ignore) vanish, even inside a continuation.
    if (trimmed.startsWith('#')) continue;
    if (buf.length === 0) {
      if (trimmed === '') continue;
      start = n + 1;
    }
    const cont = /\\[ \t]*$/.test(raw);
    if (cont) {
      buf.push(raw.replace(/\\[ \t]*$/, ''));
      continue;
    }
    buf.push(raw);
    out.push(splitInstruction(buf.join('').trim(), start, file));
    buf = [];
  }
  if (buf.length > 0 && buf.join('').trim() !== '') out.push(splitInstruction(buf.join('').trim(), start, file));
  return out;
}

function splitInstruction(text: string, line: number, file: string): Instruction {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  const keyword = (m?.[1] ?? '').toUpperCase();
  let rest = m?.[2] ?? '';
  if (UNSUPPORTED.has(keyword)) throw new DockerfileError(file, line, `${keyword} is not supported by lcctl build`);
  const allowed = INSTRUCTION_FLAGS[keyword];
  if (!allowed) throw new DockerfileError(file, line, `unknown instruction ${m?.[1] ?? text}`);
  const flags: Record<string, string> = {};
  if (allowed.length > 0) {
    for (;;) {
      const f = /^--([A-Za-z-]+)(?:=(\S*))?\s*/.exec(rest);
      if (!f) break;
      const name = f[1] as string;
      if (!allowed.includes(name)) throw new DockerfileError(file, line, `unknown flag --${name} for ${keyword} (allowed: ${allowed.map((a) => `--${a}`).join(', ')})`);
      flags[name] = f[2] ?? 'true';
      rest = rest.slice(f[0].length);
    }
  }
  const args = rest.trim();
  if (args === '' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT') throw new DockerfileError(file, line, `${keyword} requires at least one argument`);
  return { line, keyword, flags, args, original: text };
}

/** Exec (JSON array) form of RUN/CMD/ENTRYPOINT/SHELL/COPY, or undefined for shell form. */
export function jsonForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  let v: unknown;
  try { v = JSON.parse(args); } catch { return undefined; }
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) return undefined;
  return v;
}
