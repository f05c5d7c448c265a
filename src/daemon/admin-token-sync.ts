/**
 * HA: the admin token is one for the cluster. A server that rotates it writes the new token to the
 * shared store; every other server follows the key with a watch and adopts it (its DATA_DIR/admin-token,
 * admin.yaml, kubeconfig.yaml and server-token rewritten, the old token refused), as join tokens are
 * shared. The token itself is stored: etcd's clients are the servers (client certificates from the
 * cluster CA), which hold the CA key and every Secret already, so reading it grants nothing new.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { StoreConflictError, type StateStore, type Watch } from '../store/types.js';
import type { AdminToken } from './admin-token.js';
import { writeServerToken } from './embedded-etcd/server-token.js';

/** The cluster's admin token in the store. */
export const adminTokenKey = '/registry/lantern/admin-token';

const parse = (value: string): string | undefined => {
  try {
    const t = (JSON.parse(value) as { token?: unknown }).token;
    return typeof t === 'string' && /^[A-Za-z0-9._-]{16,256}$/.test(t) ? t : undefined;
  } catch { return undefined; }
};

/**
 * Shares `admin` through `store`: the stored token wins at start (a server restarted after a rotation
 * elsewhere), a first server stores its own, rotations here are stored, rotations elsewhere adopted.
 * Returns a stop function.
 */
export async function shareAdminToken(o: { store: StateStore; admin: AdminToken; dataDir: string; caPem: string; log: (m: string) => void }): Promise<() => void> {
  const { store, admin } = o;
  const serverTokenFile = path.join(o.dataDir, 'server-token');
  admin.onChange(async (token, how) => {
    // The server token carries the admin token: a join with the old one must fail, with the new one succeed.
    if (await stat(serverTokenFile).then(() => true, () => false)) await writeServerToken(o.dataDir, o.caPem, token);
    if (how === 'rotated') await put(store, token);
    o.log(how === 'rotated' ? 'the admin token was rotated; the other servers adopt it through the store' : 'adopted the admin token another server rotated to');
  });
  let watch: Watch | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const follow = async (): Promise<void> => {
    let kv = await store.get(adminTokenKey);
    if (kv === undefined) { await put(store, admin.token, 0); kv = await store.get(adminTokenKey); }
    const stored = kv ? parse(kv.value) : undefined;
    if (stored !== undefined) await admin.adopt(stored);
    const from = kv?.modRevision ?? await store.currentRevision();
    watch = store.watch(adminTokenKey, from, (e) => {
      if (e.type !== 'put') return;
      const t = parse(e.kv.value);
      if (t !== undefined && t !== admin.token) admin.adopt(t).catch((err: unknown) => o.log(`adopting the rotated admin token failed: ${String(err)}`));
    }, (err) => { if (!stopped) { o.log(`the admin token watch ended (${err.message}); reading it again`); again(); } });
  };
  const again = (): void => {
    timer = setTimeout(() => { if (!stopped) follow().catch((e: unknown) => { o.log(`reading the shared admin token failed: ${String(e)}`); again(); }); }, 1000);
  };
  await follow();
  return () => { stopped = true; if (timer) clearTimeout(timer); watch?.cancel(); };
}

/** Store `token` (create, or replace whatever revision: the last rotation wins). expected 0: create only if absent. */
async function put(store: StateStore, token: string, expected?: number): Promise<void> {
  const value = JSON.stringify({ token, rotatedAt: new Date().toISOString() });
  for (;;) {
    const kv = await store.get(adminTokenKey);
    try {
      if (kv === undefined) await store.create(adminTokenKey, value);
      else if (expected === 0) return; // another server stored one first: the watch adopts it
      else await store.update(adminTokenKey, value, kv.modRevision);
      return;
    } catch (e) {
      if (!(e instanceof StoreConflictError)) throw e;
    }
  }
}
