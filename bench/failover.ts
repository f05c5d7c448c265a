/**
 * Failover (issue 16): two `lanternd server --no-agent` on one real etcd and one simulated node; the
 * leader is killed (SIGKILL) and a pod created at once through a client that knows both servers; the
 * figure is the time from the kill until that pod is bound, p50/p99 over N trials (target p99 <= 15 s).
 * The peer, measured in the same run: the leader stopped gracefully (SIGTERM releases the lease). After
 * each trial a fresh server takes the dead one's place, so there are always two.
 * Usage: npm run bench:failover [-- TRIALS]   (default 20; the graceful peer runs max(3, TRIALS/4) times)
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import type { Pod } from '../src/api/pod.js';
import type { Lease } from '../src/api/schema/lease.js';
import { MultiServerClient } from '../src/client/multi-server.js';
import { TestServer, type LanterndProcess } from '../test/harness/lanternd.js';
import { startSim } from '../test/harness/sim.js';
import { TestEtcd } from '../test/harness/etcd.js';
import { onCleanup, runBenchmark, checkStop } from './lib/cleanup.js';
import { percentile, ratio, verdict } from './lib/stats.js';

const trials = Number(process.argv[2] ?? 20);
const targetMs = 15_000;
const leasePath = '/apis/coordination.k8s.io/v1/namespaces/lantern-system/leases/lantern-leader';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

runBenchmark('bench:failover', async () => {
  const etcd = await new TestEtcd().start();
  onCleanup('etcd', () => etcd.stop());
  const servers: TestServer[] = [];
  onCleanup('servers', async () => { for (const s of servers) await s.stop().catch(() => undefined); });
  const startServer = async (): Promise<TestServer> => {
    const s = new TestServer(['--no-agent', '--datastore-endpoint', etcd.endpoint]);
    // One cluster: the first server's CA and tokens (what joining a server hands over).
    const seed = servers[0];
    if (seed !== undefined) for (const f of ['pki', 'node-token', 'admin-token']) cpSync(path.join(seed.dataDir, f), path.join(s.dataDir, f), { recursive: true });
    servers.push(s);
    await s.start();
    return s;
  };
  await startServer();
  await startServer();
  const live = (): TestServer[] => servers.filter((s) => s.process?.running);
  let sim: LanterndProcess | undefined;
  onCleanup('sim', async () => { await sim?.kill9(); });
  // Every server shares the first one's admin token (copied above); the sim uses it (one client).
  const token = servers[0]!.token;

  const leader = async (): Promise<TestServer> => {
    for (;;) {
      const s = live()[0]!;
      const holder = (await s.api<Lease>('GET', leasePath)).body.spec?.holderIdentity ?? '';
      const l = live().find((x) => holder !== '' && x.logs.includes(`${holder} leads`));
      if (l) return l;
      await sleep(200);
    }
  };
  let n = 0;
  const trial = async (how: 'kill' | 'term'): Promise<number> => {
    checkStop();
    const l = await leader();
    const urls = live().map((s) => s.url);
    // A sim node that knows the current servers (restarted each trial as the list changes).
    await sim?.kill9();
    sim = startSim(urls.join(','), token, ['--nodes', '1', '--name-prefix', `fo${n}-`, '--heartbeat-interval', '1s']);
    const client = new MultiServerClient({ server: '', token }, urls);
    const name = `fo-${n++}`;
    const nodeReady = async (): Promise<boolean> => (await client.list('nodes')).items.some((x) => x.metadata.name.startsWith(`fo${n - 1}-`));
    while (!await nodeReady()) await sleep(200);
    const t0 = performance.now();
    if (how === 'kill') await l.kill9(); else await l.process?.stop();
    await client.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as Pod);
    for (;;) {
      const p = await client.get<Pod>('pods', name, 'default');
      if (p.spec?.nodeName) break;
      await sleep(100);
    }
    const took = performance.now() - t0;
    await startServer();
    return took;
  };

  const killed: number[] = [];
  for (let i = 0; i < trials; i++) {
    killed.push(await trial('kill'));
    console.log(`trial ${i + 1}/${trials} (SIGKILL): ${(killed.at(-1)! / 1000).toFixed(2)} s`);
  }
  const graceful: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(trials / 4)); i++) {
    graceful.push(await trial('term'));
    console.log(`peer ${i + 1} (SIGTERM): ${(graceful.at(-1)! / 1000).toFixed(2)} s`);
  }
  const p = (xs: number[], q: number): string => `${(percentile(xs, q) / 1000).toFixed(2)} s`;
  console.log(`\nfailover, leader SIGKILLed -> next pod bound, ${killed.length} trials: p50 ${p(killed, 50)}  p99 ${p(killed, 99)}  (target p99 <= 15 s: ${verdict(percentile(killed, 99) <= targetMs)})`);
  console.log(`peer, leader stopped gracefully (lease released), ${graceful.length} trials: p50 ${p(graceful, 50)}  p99 ${p(graceful, 99)}`);
  console.log(`ratio SIGKILL/graceful p50: ${ratio(percentile(killed, 50), percentile(graceful, 50))}`);
});
