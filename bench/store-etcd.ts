/**
 * Store writes per second: etcd (a real etcd-server member on this machine) against SQLite, in the
 * same run, with 1 and 32 concurrent writers, each doing create-then-update as the API does.
 * Usage: npm run bench:store-etcd [-- WRITES_PER_CLIENT]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEtcdStore } from '../src/store/etcd/etcd-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { StateStore } from '../src/store/types.js';
import { TestEtcd } from '../test/harness/etcd.js';

const perClient = Number(process.argv[2] ?? 200);

async function rate(store: StateStore, clients: number, tag: string): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; i < perClient; i += 2) {
      const kv = await store.create(`/registry/bench/${tag}/${c}/${i}`, JSON.stringify({ c, i, pad: 'x'.repeat(400) }));
      await store.update(kv.key, JSON.stringify({ c, i, pad: 'y'.repeat(400) }), kv.modRevision);
    }
  }));
  return (clients * perClient) / ((performance.now() - t0) / 1000);
}

const etcd = await new TestEtcd().start();
const dir = mkdtempSync(path.join(tmpdir(), 'lantern-h1-bench-'));
try {
  const e = await openEtcdStore({ endpoints: [etcd.endpoint] });
  const s = await openSqliteStore(path.join(dir, 'state.db'));
  console.log(`store writes/s, ${perClient} writes per client (create+update pairs, ~450-byte values)`);
  for (const clients of [1, 32]) {
    const sq = await rate(s, clients, `s${clients}`);
    const et = await rate(e, clients, `e${clients}`);
    console.log(`${String(clients).padStart(2)} clients: sqlite ${sq.toFixed(0)}/s  etcd ${et.toFixed(0)}/s  etcd/sqlite ${(et / sq).toFixed(2)}`);
  }
  await e.close();
  await s.close();
} finally {
  await etcd.stop();
  rmSync(dir, { recursive: true, force: true });
}
