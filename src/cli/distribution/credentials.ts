/**
 * Registry credentials in lcctl's config file, as an `auths:` block beside server/token:
 *
 *   auths:
 *     "localhost:5000": "base64(user:password)"
 *
 * The file is rewritten with mode 0600 (it holds passwords); lines outside `auths:` are kept as they are.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { configFilePath } from '../config.js';
import { CliError } from '../errors.js';

/** A user name and password for one registry. */
export interface Credential { username: string; password: string }

/** Docker's name for Docker Hub in credential stores. */
const hubKey = 'https://index.docker.io/v1/';

/** The key a registry is saved under: its host[:port], Docker Hub under Docker's usual key. */
export function registryKey(server: string | undefined): string {
  const s = (server ?? '').replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return s === '' || s === 'docker.io' || s === 'index.docker.io' || s === 'registry-1.docker.io' ? hubKey : s;
}

/** The registry host of an image reference (Docker's rule: a first component with "." or ":" or "localhost"). */
export function registryOfRef(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  return ref.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : 'docker.io';
}

function path(): string {
  const p = configFilePath(process.env, process.env.HOME ?? homedir());
  if (!p) throw new CliError('no config file location: set HOME or LANTERN_CONFIG');
  return p;
}

function readText(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new CliError(`cannot read the config file ${file}: ${(e as Error).message}`);
  }
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) { try { return JSON.parse(t) as string; } catch { return t.slice(1, -1); } }
  if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) return t.slice(1, -1);
  return t;
}

/** Splits the file into the `auths:` entries and the other lines. */
export function parseAuths(text: string): { auths: Map<string, string>; other: string[] } {
  const auths = new Map<string, string>();
  const other: string[] = [];
  let inAuths = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^auths\s*:\s*(\{\s*\})?\s*$/.test(line)) { inAuths = true; continue; }
    if (inAuths && /^\s+\S/.test(line)) {
      const m = /^\s+("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:][^\s]*?)\s*:\s+(.*)$/.exec(line);
      if (m) auths.set(unquote(m[1]!), unquote(m[2]!));
      continue;
    }
    if (!/^\s*$/.test(line)) inAuths = false;
    other.push(line);
  }
  while (other.length > 0 && other[other.length - 1] === '') other.pop();
  return { auths, other };
}

/** Renders the file back: other lines, then the auths block. */
export function renderAuths(other: string[], auths: Map<string, string>): string {
  const lines = [...other];
  if (auths.size > 0) {
    lines.push('auths:');
    for (const [k, v] of [...auths].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** The saved credential for a registry, if any. */
export function loadCredential(server: string): Credential | undefined {
  const v = parseAuths(readText(path())).auths.get(registryKey(server));
  if (!v) return undefined;
  const plain = Buffer.from(v, 'base64').toString('utf8');
  const colon = plain.indexOf(':');
  return colon < 0 ? undefined : { username: plain.slice(0, colon), password: plain.slice(colon + 1) };
}

/** Saves (or with undefined removes) a registry's credential; returns whether anything changed. */
export function saveCredential(server: string, cred: Credential | undefined): boolean {
  const file = path();
  const { auths, other } = parseAuths(readText(file));
  const key = registryKey(server);
  if (cred) auths.set(key, Buffer.from(`${cred.username}:${cred.password}`).toString('base64'));
  else if (!auths.delete(key)) return false;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, renderAuths(other, auths), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return true;
}
