/**
 * bench:queues, part (b): the same 1:2:3 fair-share measurement through a real `lanternd server
 * --no-agent` (queue controller, Job controller, scheduler, API over HTTP) with BENCH_NODES (15)
 * `lanternd sim` nodes of 4 cpu whose pods report Succeeded BENCH_RUN (10 s) after they start.
 * The bench keeps 20 pending Jobs of 1 or 2 cpu (seeded random) in each of three queues weighted
 * 1:2:3, follows the Jobs with a watch, and samples every 500 ms the cpu of the admitted,
 * unfinished Jobs per queue; after a BENCH_WARMUP (30 s) warm-up it averages BENCH_SECONDS (180 s).
 */
import type { Job } from '../src/api/schema/job.js';
import type { Queue } from '../src/api/schema/queue.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { newClient } from './lib/lantern.js';
import { TestServer } from '../test/harness/lanternd.js';
import { machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { startSim, waitReady } from './lib/sim.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const NODES = Number(process.env.BENCH_NODES ?? '15');
const RUN = process.env.BENCH_RUN ?? '10s';
const WARMUP = Number(process.env.BENCH_WARMUP ?? '30');
const SECONDS = Number(process.env.BENCH_SECONDS ?? '180');
const weights: Record<string, number> = { q1: 1, q2: 2, q3: 3 };
let seed = 42;
const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };

const finished = (j: Job): boolean => (j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
const cpuOf = (j: Job): number => Number(j.spec.template.spec.containers[0]?.resources?.requests?.cpu ?? 0);

runBenchmark('bench:queues (server)', async () => {
  say('== bench:queues (b): fair share through a real server ==');
  say(machineReport());
  say(`${NODES} simulated nodes × 4 cpu (pods Succeeded ${RUN} after start); 3 queues 1:2:3, 20 pending Jobs of 1-2 cpu each; ${WARMUP} s warm-up, ${SECONDS} s measured`);
  const server = new TestServer(['--no-agent']);
  onCleanup('stop lanternd server and remove its data dir', () => server.stop());
  await server.start();
  const client = newClient(server);
  const sim = startSim(server.url, server.token, NODES, '10s', ['--cpu', '4', '--memory', '16Gi', '--run-for', RUN]);
  await waitReady(client, NODES, performance.now(), () => (sim.proc.exitCode !== null ? `lanternd sim exited: ${sim.output()}` : undefined), 120_000);
  for (const [name, weight] of Object.entries(weights)) await client.create<Queue>('queues', { apiVersion: 'lantern.dev/v1', kind: 'Queue', metadata: { name }, spec: { weight } });

  // The Jobs as the watch last showed them.
  const jobs = new Map<string, Job>();
  const w = client.watch<Job>('jobs', 'default', {}, (e) => {
    if (e.type === 'DELETED') jobs.delete(e.object.metadata.name); else jobs.set(e.object.metadata.name, e.object);
  });
  onCleanup('stop the job watch', () => { w.stop(); });
  let made = 0;
  const topUp = async (): Promise<void> => {
    const pending: Record<string, number> = { q1: 0, q2: 0, q3: 0 };
    const done: string[] = [];
    for (const j of jobs.values()) {
      if (finished(j)) done.push(j.metadata.name);
      else if (j.spec.suspend !== false) pending[j.metadata.labels?.['lantern.dev/queue-name'] ?? '']! += 1;
    }
    await Promise.all(done.map((name) => client.delete('jobs', name, 'default').catch(() => undefined)));
    for (const queue of Object.keys(weights)) {
      for (let n = pending[queue]!; n < 20; n++) {
        const name = `${queue}-${made++}`;
        const job: Job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default', labels: { 'lantern.dev/queue-name': queue } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: String(rand() < 0.5 ? 1 : 2), memory: '64Mi' } } }] } } } };
        jobs.set(name, job); // counted as pending until the watch brings the stored copy
        await client.create('jobs', job);
      }
    }
  };

  const cpuSeconds: Record<string, number> = { q1: 0, q2: 0, q3: 0 };
  let samples = 0;
  const t0 = performance.now();
  let shown = 0;
  for (;;) {
    checkStop();
    const t = (performance.now() - t0) / 1000;
    if (t > WARMUP + SECONDS) break;
    await topUp();
    if (t >= WARMUP) {
      samples++;
      for (const j of jobs.values()) {
        if (j.spec.suspend === false && !finished(j)) cpuSeconds[j.metadata.labels?.['lantern.dev/queue-name'] ?? '']! += cpuOf(j);
      }
    }
    if (t - shown >= 30) { shown = t; say(`  ${t.toFixed(0)} s: ${made} Jobs made`); }
    await sleep(500);
  }
  const total = Object.values(cpuSeconds).reduce((a, b) => a + b, 0);
  say();
  say(`cluster cpu admitted: ${(100 * total / (samples * NODES * 4)).toFixed(1)}% of ${NODES * 4} cpu (mean over ${samples} samples); ${made} Jobs made`);
  say('queue  weight  target  measured  deviation');
  for (const [q, wt] of Object.entries(weights)) {
    const target = wt / 6;
    const got = cpuSeconds[q]! / total;
    say(`${q.padEnd(6)} ${String(wt).padEnd(7)} ${(100 * target).toFixed(1).padStart(5)}%  ${(100 * got).toFixed(1).padStart(7)}%  ${(100 * (got - target) / target).toFixed(1).padStart(8)}%`);
  }
});
