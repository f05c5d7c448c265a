/** kubectl create configmap/secret's data flags: --from-literal, --from-file, --from-env-file. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';

/** Key -> raw bytes, in the order given. */
export type DataEntries = Map<string, Buffer>;

const KEY = /^[-._a-zA-Z0-9]+$/;

function put(out: DataEntries, key: string, value: Buffer, what: string): void {
  if (!KEY.test(key)) throw new UsageError(`"${key}" is not a valid key name (${what}): a valid config key must consist of alphanumeric characters, '-', '_' or '.'`);
  if (out.has(key)) throw new UsageError(`cannot add key "${key}", another key by that name already exists`);
  out.set(key, value);
}

/** Parse K=V literals (the value may contain '='). */
export function addLiterals(out: DataEntries, literals: string[]): void {
  for (const l of literals) {
    const i = l.indexOf('=');
    if (i <= 0) throw new UsageError(`invalid literal source ${l}, expected key=value`);
    put(out, l.slice(0, i), Buffer.from(l.slice(i + 1), 'utf8'), `--from-literal=${l}`);
  }
}

/** [KEY=]PATH: a file under its base name (or KEY), or every regular file of a directory. */
export function addFiles(out: DataEntries, specs: string[]): void {
  for (const spec of specs) {
    const i = spec.indexOf('=');
    const key = i > 0 ? spec.slice(0, i) : undefined;
    const path = i > 0 ? spec.slice(i + 1) : spec;
    let st;
    try { st = statSync(path); } catch { throw new UsageError(`error reading ${path}: no such file or directory`); }
    if (st.isDirectory()) {
      if (key !== undefined) throw new UsageError(`cannot give a key name for a directory path: ${spec}`);
      for (const f of readdirSync(path).sort()) {
        const full = join(path, f);
        if (statSync(full).isFile()) put(out, f, readFileSync(full), `--from-file=${full}`);
      }
      continue;
    }
    put(out, key ?? basename(path), readFileSync(path), `--from-file=${spec}`);
  }
}

/** KEY=VALUE lines of env files; blank lines and # comments skipped. */
export function addEnvFiles(out: DataEntries, files: string[]): void {
  for (const f of files) {
    let text: string;
    try { text = readFileSync(f, 'utf8'); } catch { throw new UsageError(`error reading ${f}: no such file or directory`); }
    text.split('\n').forEach((raw, n) => {
      const line = raw.replace(/\r$/, '').trimStart();
      if (line === '' || line.startsWith('#')) return;
      const i = line.indexOf('=');
      if (i <= 0) throw new UsageError(`${f}:${n + 1}: expected KEY=VALUE, got ${JSON.stringify(line)}`);
      put(out, line.slice(0, i), Buffer.from(line.slice(i + 1), 'utf8'), `--from-env-file=${f}`);
    });
  }
}

/** ConfigMap maps: UTF-8 values in data, anything else base64 in binaryData (as kubectl does). */
export function configMapData(entries: DataEntries): { data?: Record<string, string>; binaryData?: Record<string, string> } {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const [k, v] of entries) {
    const text = v.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(v)) data[k] = text; else binaryData[k] = v.toString('base64');
  }
  return { ...(Object.keys(data).length > 0 ? { data } : {}), ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}) };
}

/** Secret data: every value base64. */
export function secretData(entries: DataEntries): Record<string, string> {
  return Object.fromEntries([...entries].map(([k, v]) => [k, v.toString('base64')]));
}
