/**
 * HA admin token: two servers' AdminTokens over one store. A rotation on one reaches the other (the old
 * token refused on both, the new one accepted on both, the files rewritten), and a server that starts
 * with an older token takes the stored one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TokenAuthenticator } from '../server/http/auth.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.js';
import { eventually } from '../testing/eventually.js';
import { AdminToken } from './admin-token.js';
import { shareAdminToken } from './admin-token-sync.js';
import { parseServerToken } from './embedded-etcd/server-token.js';

const caPem = '-----BEGIN CERTIFICATE-----\nh5-test-ca\n-----END CERTIFICATE-----\n';
let dir = '';
let store: SqliteStore;
const stops: (() => void)[] = [];

interface Server { auth: TokenAuthenticator; admin: AdminToken; dataDir: string }
async function server(name: string, token: string): Promise<Server> {
  const dataDir = path.join(dir, name);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'server-token'), 'old\n');
  const auth = new TokenAuthenticator();
  const admin = new AdminToken(token, { dataDir, auth, writeUserConfig: false });
  admin.serving('https://127.0.0.1:31999', caPem);
  stops.push(await shareAdminToken({ store, admin, dataDir, caPem, log: () => undefined }));
  return { auth, admin, dataDir };
}
const accepts = async (s: Server, token: string): Promise<boolean> =>
  (await s.auth.identify({ headers: { authorization: `Bearer ${token}` }, socket: {} } as IncomingMessage))?.role === 'admin';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'h5-admin-token-'));
  store = await openSqliteStore(path.join(dir, 'store.db'));
});
after(async () => {
  for (const stop of stops) stop();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test('a rotation on one server reaches the other: old token refused and new accepted on both, files rewritten', async () => {
  const s1 = await server('s1', 'lt-admin-h5-first-token-0001');
  // A joined server received the same token; a restarted one may hold an older one: the stored token wins.
  const s2 = await server('s2', 'lt-admin-h5-stale-token-0002');
  assert.equal(s2.admin.token, 'lt-admin-h5-first-token-0001');
  assert.equal(await accepts(s2, 'lt-admin-h5-stale-token-0002'), false);

  const { token } = await s1.admin.rotate();
  await eventually('server 2 to adopt the rotated token', async () => s2.admin.token === token);
  for (const s of [s1, s2]) {
    assert.equal(await accepts(s, token), true);
    assert.equal(await accepts(s, 'lt-admin-h5-first-token-0001'), false, 'the old token is refused everywhere');
    assert.equal((await readFile(path.join(s.dataDir, 'admin-token'), 'utf8')).trim(), token);
    assert.match(await readFile(path.join(s.dataDir, 'admin.yaml'), 'utf8'), new RegExp(token));
    assert.equal(parseServerToken(await readFile(path.join(s.dataDir, 'server-token'), 'utf8')).secret, token, 'a join needs the new token');
  }
});
