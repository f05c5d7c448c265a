import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { caHash, formatJoinToken, newJoinSecret, parseJoinToken } from './pki/join-token.js';

/** Read a token file, creating it with a fresh random token the first time. */
export async function loadOrCreateToken(file: string, prefix: string): Promise<string> {
  try {
    const t = (await readFile(file, 'utf8')).trim();
    if (t !== '') return t;
  } catch { /* first start */ }
  const token = `${prefix}${randomBytes(24).toString('hex')}`;
  await writeFileAtomic(file, token + '\n', 0o600);
  return token;
}

/**
 * Write a file via a temp file and rename, so readers never see half of it. When the write or the
 * rename fails (a full disk), the temp file is removed: no FILE.tmp-PID is left behind.
 */
export async function writeFileAtomic(file: string, content: string, mode: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, content, { mode });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** The client config lcctl reads: server URL and token (and CA when TLS is on). */
export function clientConfig(server: string, token: string, caPem?: string): string {
  let text = `# Lantern client configuration, written by lanternd server.\nserver: ${server}\ntoken: ${token}\n`;
  if (caPem) text += `caData: ${Buffer.from(caPem).toString('base64')}\n`;
  return text;
}

/** ~/.lantern/config.yaml */
export const userConfigPath = (): string => path.join(os.homedir(), '.lantern', 'config.yaml');

/**
 * The node join token in DATA_DIR/node-token, pinned to the current CA. The secret part is kept
 * across starts (an older token's text becomes the secret), so a token handed out earlier stays valid.
 */
export async function loadOrCreateJoinToken(file: string, caPem: string): Promise<string> {
  const old = (await readFile(file, 'utf8').catch(() => '')).trim();
  let secret: string;
  try {
    const parsed = parseJoinToken(old);
    secret = parsed.id === undefined ? parsed.secret : newJoinSecret();
  } catch {
    secret = /^[A-Za-z0-9._-]+$/.test(old) ? old : newJoinSecret();
  }
  const token = formatJoinToken({ caHash: caHash(caPem), secret });
  if (token !== old) await writeFileAtomic(file, token + '\n', 0o600);
  return token;
}
