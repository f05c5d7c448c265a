import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/errors.js';
import { parseConfigText } from '../cli/config.js';
import { HttpClient } from '../client/http-client.js';
import type { EncryptionStatus, ReencryptResult, RotateResult } from '../server/encryption/status.js';
import { secretsEncryptionPath } from '../server/http/secrets-encryption.js';
import { FlagError, parseFlags } from './flags.js';

export const secretsEncryptUsage = `Usage: lanternd secrets-encrypt status|rotate-keys|reencrypt [flags]

Manages the encryption at rest of Secrets (lanternd server --secrets-encryption), as k3s' command
of that name. It talks to the running server through its admin-only API, so the server uses a new
key at once, without a restart; it reads the address and admin token from DATA_DIR/admin.yaml.

Commands:
  status        the encryption state, the current key, and whether every Secret is under it
  rotate-keys   a new key encrypts every write from now on; the older keys keep decrypting
  reencrypt     rewrite every Secret not under the current key, compact the store's history (it held
                the old values), then drop the keys nothing is under any more

Flags:
  --data-dir DIR     the server's state directory (default /var/lib/lantern)
  --output text|json status: print text (default) or the API's JSON
  --skip             reencrypt: keep the old keys in the file
`;

const verbs = ['status', 'rotate-keys', 'reencrypt'];

/** `lanternd secrets-encrypt VERB`: status, rotate-keys or reencrypt through the running server. */
export async function runSecretsEncrypt(args: string[]): Promise<void> {
  const [verb, ...rest] = args;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') { process.stdout.write(secretsEncryptUsage); return; }
  if (!verbs.includes(verb)) throw new FlagError(`secrets-encrypt: unknown command ${JSON.stringify(verb)}: use ${verbs.join(', ')}\n\n${secretsEncryptUsage}`);
  const flags = parseFlags(rest, { 'data-dir': 'string', output: 'string', skip: 'boolean', help: 'boolean' });
  if (flags.help) { process.stdout.write(secretsEncryptUsage); return; }
  const output = String(flags.output ?? 'text');
  if (output !== 'text' && output !== 'json') throw new FlagError(`--output: use text or json, not ${JSON.stringify(output)}`);
  if (flags.skip !== undefined && verb !== 'reencrypt') throw new FlagError('--skip goes with reencrypt');
  const dataDir = path.resolve(String(flags['data-dir'] ?? '/var/lib/lantern'));
  const client = await adminClient(dataDir);
  let text: string;
  if (verb === 'status') {
    const s = await client.json<EncryptionStatus>('GET', secretsEncryptionPath);
    text = output === 'json' ? JSON.stringify(s, null, 2) + '\n' : formatStatus(s);
  } else if (verb === 'rotate-keys') {
    const r = await client.json<RotateResult>('POST', `${secretsEncryptionPath}/rotate-keys`);
    text = output === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatRotate(r, dataDir);
  } else {
    const r = await client.json<ReencryptResult>('POST', `${secretsEncryptionPath}/reencrypt${flags.skip === true ? '?skip=true' : ''}`);
    text = output === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatReencrypt(r);
  }
  process.stdout.write(text);
}

/** A client with the admin token and CA lanternd server wrote into DATA_DIR/admin.yaml. */
async function adminClient(dataDir: string): Promise<HttpClient> {
  const file = path.join(dataDir, 'admin.yaml');
  let cfgText: string;
  try { cfgText = await readFile(file, 'utf8'); } catch (e) {
    throw new ApiError('Unavailable', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}): lanternd server writes it when it starts; is it running with --data-dir ${dataDir}? (secrets-encrypt works through the running server)`);
  }
  const cfg = parseConfigText(cfgText);
  if (cfg.server === undefined || cfg.token === undefined) throw new ApiError('Unavailable', `${file} names no server or token: restart lanternd server to rewrite it`);
  return new HttpClient({ server: cfg.server, token: cfg.token, ...(cfg.caData ? { ca: Buffer.from(cfg.caData, 'base64').toString('utf8') } : {}) });
}

const typeName = (type: string): string => (type === 'aesgcm' ? 'AES-GCM' : type === 'aescbc' ? 'AES-CBC' : 'identity');
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** k3s' status layout, plus where every Secret stands. */
export function formatStatus(s: EncryptionStatus): string {
  const lines: string[] = [];
  lines.push(`Encryption Status: ${s.enabled ? 'Enabled' : 'Disabled'}${s.enabled ? '' : ' (new Secrets are stored plain; start lanternd server with --secrets-encryption to encrypt them)'}`);
  lines.push(`Current Rotation Stage: ${s.stage}`);
  lines.push(`Server Encryption Hashes: ${s.configFile.inUse ? 'All hashes match' : `${s.configFile.path} ${s.configFile.exists ? 'changed on disk' : 'was removed'} since the server read it: restart lanternd server to use it`}`);
  lines.push(`Current Key: ${typeName(s.currentKey.type)}${s.currentKey.name === undefined ? ' (plain)' : ` ${s.currentKey.name}`}`);
  const n = s.secrets;
  const stale = n.total - n.current;
  if (stale === 0) {
    lines.push(`Secrets: ${n.total}, ${n.total === 0 ? 'none stored' : s.currentKey.name === undefined ? 'all plain' : 'all under the current key'}`);
  } else {
    const parts = s.currentKey.name === undefined
      ? [`${n.plain} plain`, `${n.olderKeys} encrypted`]
      : [`${n.current} under the current key`, `${n.olderKeys} under older keys`, `${n.plain} plain`];
    if (n.unknownKeys > 0) parts.push(`${n.unknownKeys} under keys the file no longer has (unreadable: put those keys back)`);
    lines.push(`Secrets: ${n.total}: ${parts.join(', ')}; run lanternd secrets-encrypt reencrypt`);
  }
  lines.push(`Config File: ${s.configFile.path}${s.configFile.exists ? '' : ' (none)'}`);
  if (s.keys.length > 0) {
    const width = Math.max(4, ...s.keys.map((k) => k.name.length));
    lines.push('', `Active  Key Type  ${'Name'.padEnd(width)}  Secrets`, `------  --------  ${'----'.padEnd(width)}  -------`);
    for (const k of s.keys) lines.push(` ${k.active ? '*' : ' '}      ${typeName(k.type).padEnd(8)}  ${k.name.padEnd(width)}  ${k.secrets}`);
  }
  return lines.join('\n') + '\n';
}

function formatRotate(r: RotateResult, dataDir: string): string {
  const stale = r.status.secrets.total - r.status.secrets.current;
  let text = `Encryption keys rotated: ${typeName(r.key.type)} key ${r.key.name} encrypts every Secret written from now on (the running server uses it already).\n`;
  if (stale > 0) text += `${plural(stale, 'Secret')} ${stale === 1 ? 'is' : 'are'} still under older keys (which still decrypt them): run lanternd secrets-encrypt reencrypt --data-dir ${dataDir}\n`;
  return text;
}

function formatReencrypt(r: ReencryptResult): string {
  const s = r.status;
  const target = s.currentKey.name === undefined ? 'plain (encryption is off)' : `with ${typeName(s.currentKey.type)} key ${s.currentKey.name}`;
  let text = `Re-encrypted ${plural(r.rewritten, 'Secret')} ${target}; ${s.secrets.current} of ${s.secrets.total} are now stored that way.\n`;
  if (r.compactedTo !== undefined) text += `Compacted the store's history to revision ${r.compactedTo} (it held the old values; watches from before it list again).\n`;
  if (r.removedKeys.length > 0) text += `Removed old keys: ${r.removedKeys.join(', ')}.\n`;
  return text;
}
