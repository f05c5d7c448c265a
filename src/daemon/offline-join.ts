/**
 * Joining when the server cannot be reached (edge autonomy): a node that joined before has its
 * credential (DATA_DIR/node-credential) and the CA it pinned then (DATA_DIR/ca.crt), which is all its
 * client needs; it starts on them and runs its recorded pods. A first join still needs the server.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClientConfig } from '../client/http-client.js';
import { isUnreachable } from '../agent/offline/unreachable.js';

/** The stored client config when err says the server is out of reach and this node joined before; else undefined. */
export async function storedJoin(err: unknown, server: string, dataDir: string, log: (m: string) => void): Promise<ClientConfig | undefined> {
  if (!isUnreachable(err) && !/cannot fetch the CA|timed out/.test(err instanceof Error ? err.message : '')) return undefined;
  const token = (await readFile(path.join(dataDir, 'node-credential'), 'utf8').catch(() => '')).trim();
  if (token === '') return undefined;
  const base = server.replace(/\/+$/, '');
  let ca: string | undefined;
  if (new URL(base).protocol === 'https:') {
    ca = await readFile(path.join(dataDir, 'ca.crt'), 'utf8').catch(() => undefined);
    if (ca === undefined) return undefined;
  }
  log(`${base} cannot be reached (${err instanceof Error ? err.message : String(err)}); starting on the credential and CA from the last join`);
  return ca === undefined ? { server: base, token } : { server: base, token, ca };
}

const offlineClients = new WeakSet<object>();

/** Mark a client made by storedJoin: the server was out of reach when the node started. */
export function markJoinedOffline<T extends object>(client: T): T { offlineClients.add(client); return client; }

/** Whether the node's client was made offline (its start need not wait on the server again). */
export const joinedOffline = (client: object): boolean => offlineClients.has(client);
