import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './credentials.js';

/**
 * This node's secret (DATA_DIR/node-secret, 0600), as k3s' node password: made at the first join,
 * sent with every join; the server keeps only its hash, and a node name that has joined once joins
 * again only with it. `created` is true when this call made it.
 */
export async function loadOrCreateNodeSecret(dataDir: string): Promise<{ secret: string; created: boolean }> {
  const file = path.join(dataDir, 'node-secret');
  const old = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (/^[A-Za-z0-9._~+/=-]{32,512}$/.test(old)) return { secret: old, created: false };
  if (old !== '') throw new Error(`${file} is not a node secret: restore it from a backup, or have an admin run "lcctl node revoke NAME" and delete the file`);
  const secret = randomBytes(32).toString('hex');
  await writeFileAtomic(file, secret + '\n', 0o600);
  return { secret, created: true };
}
