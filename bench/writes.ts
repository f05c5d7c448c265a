/**
 * bench:writes — pod creates per second through the real HTTP API into the SQLite store, with 1
 * client and with 32 concurrent keep-alive clients. The pods select a node label no node has, so
 * nothing starts: this measures the API (parse, validate, default) and the store's commit.
 */
import type { Pod } from '../src/api/pod.js';
import type { HttpClient } from '../src/client/http-client.js';
import { runBenchmark } from './lib/cleanup.js';
import { drive } from './lib/drive.js';
import { busyboxPod, listPods, newClient, startLantern } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { ms, percentile, table } from './lib/stats.js';

const CREATES = 2000;
const WARMUP = 50;
const CLIENTS = [1, 32];
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

const unschedulablePod = (name: string): Pod => busyboxPod(name, ['sleep', '3600'], { nodeSelector: { 'bench.lantern.dev/no-such-node': 'true' } });

/** `total` creates shared by `clients` workers (bench/lib/drive.ts). */
const createMany = (clients: HttpClient[], prefix: string, total: number): Promise<{ wallMs: number; latencies: number[] }> =>
  drive(clients, total, (client, i) => client.create('pods', unschedulablePod(`${prefix}-${String(i).padStart(5, '0')}`)));

interface Row { clients: number; perSec: number; p50: number; p99: number; max: number; unschedulable: number; total: number }

async function phase(clientCount: number): Promise<Row> {
  // A fresh server per phase, so both start from an empty store.
  const lantern = await startLantern({ importImage: false });
  const clients = Array.from({ length: clientCount }, () => newClient(lantern.server));
  await createMany(clients, `warm${clientCount}`, WARMUP);
  const { wallMs, latencies } = await createMany(clients, `w${clientCount}`, CREATES);
  // The scheduler writes PodScheduled=False on each pod too; see how far it got (it shares the process).
  await sleep(1000);
  const pods = await listPods(lantern.client);
  const unschedulable = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')).length;
  await lantern.server.stop();
  return { clients: clientCount, perSec: (CREATES / wallMs) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), unschedulable, total: pods.length };
}

runBenchmark('bench:writes', async () => {
  say('== bench:writes: pod creates through the HTTP API into the SQLite store ==');
  say(machineReport());
  say(`${CREATES} creates per phase after ${WARMUP} warm-up creates; pods select a node label no node has, so no container starts`);
  say('each client = its own keep-alive connection sending one request at a time; a fresh lanternd (store empty) per phase');
  const rows: Row[] = [];
  for (const n of CLIENTS) {
    rows.push(await phase(n));
    process.stderr.write(`  ${n} client(s) done\n`);
  }
  say('');
  say(table([
    ['clients', 'creates/s', 'p50', 'p99', 'max', 'marked Unschedulable 1 s after'],
    ...rows.map((r) => [String(r.clients), r.perSec.toFixed(0), ms(r.p50), ms(r.p99), ms(r.max), `${r.unschedulable}/${r.total}`]),
  ]));
  say('');
  say('every create is acknowledged only after its SQLite transaction committed (synchronous=FULL); the in-process');
  say('scheduler also writes a PodScheduled=False status to each pod, sharing the CPUs and the store with the creates.');
  say(`load avg at the end: ${load()}`);
});
