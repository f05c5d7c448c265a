/**
 * bench:jobs — many short Jobs on simulated nodes: BENCH_JOBS (10,000) one-pod Jobs created through
 * the HTTP API (BENCH_CLIENTS at a time) against `lanternd server --no-agent` with BENCH_NODES (1,000)
 * `lanternd sim` nodes whose pods report Succeeded 1 s after they start. Measures Jobs completed per
 * second, from the first create until every Job has its Complete condition (seen by a Job watch).
 */
import type { Job } from '../src/api/schema/job.js';
import type { Pod } from '../src/api/pod.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { newClient } from './lib/lantern.js';
import { TestServer } from '../test/harness/lanternd.js';
import { machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { startSim, waitReady } from './lib/sim.js';
import { table } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const JOBS = Number(process.env.BENCH_JOBS ?? '10000');
const NODES = Number(process.env.BENCH_NODES ?? '1000');
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? '32');

const job = (i: number): Job => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `j${i}`, namespace: 'default' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } } },
});

const complete = (j: Job): boolean => (j.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');

runBenchmark('bench:jobs', async () => {
  say('== bench:jobs: short Jobs on simulated nodes ==');
  say(machineReport());
  say(`${JOBS} one-pod Jobs, ${NODES} simulated nodes (pods Succeeded 1 s after start), ${CLIENTS} creating clients; server --no-agent`);
  const server = new TestServer(['--no-agent']);
  onCleanup('stop lanternd server and remove its data dir', () => server.stop());
  await server.start();
  const client = newClient(server);
  const sim = startSim(server.url, server.token, NODES, '10s', ['--run-for', '1s']);
  await waitReady(client, NODES, performance.now(), () => (sim.proc.exitCode !== null ? `lanternd sim exited: ${sim.output()}` : undefined), 300_000);

  const done = new Set<string>();
  let lastDone = 0;
  const w = client.watch<Job>('jobs', 'default', {}, (e) => {
    if (e.type !== 'DELETED' && complete(e.object) && !done.has(e.object.metadata.name)) { done.add(e.object.metadata.name); lastDone = performance.now(); }
  });
  onCleanup('stop the job watch', () => { w.stop(); });
  // Where the Jobs are, for the progress lines: pods made, bound, reported Succeeded.
  const phase = new Map<string, string>();
  const pw = client.watch<Pod>('pods', 'default', {}, (e) => {
    if (e.type === 'DELETED') { phase.delete(e.object.metadata.name); return; }
    phase.set(e.object.metadata.name, e.object.status?.phase === 'Succeeded' ? 'succeeded' : e.object.spec.nodeName ? 'bound' : 'unbound');
  });
  onCleanup('stop the pod watch', () => { pw.stop(); });
  const podCounts = (): string => {
    const n = { unbound: 0, bound: 0, succeeded: 0 };
    for (const v of phase.values()) n[v as keyof typeof n]++;
    return `pods: ${n.unbound} unbound, ${n.bound} bound, ${n.succeeded} succeeded`;
  };

  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    for (let i = next++; i < JOBS; i = next++) { checkStop(); await client.create('jobs', job(i)); }
  }));
  const created = performance.now();
  say(`created ${JOBS} Jobs in ${((created - t0) / 1000).toFixed(1)} s`);
  const deadline = performance.now() + 1_800_000;
  let shown = 0;
  while (done.size < JOBS) {
    checkStop();
    if (performance.now() > deadline) throw new Error(`timed out: ${done.size} of ${JOBS} Jobs complete`);
    if (performance.now() - shown > 10_000) { say(`  ${done.size} of ${JOBS} Jobs complete after ${((performance.now() - t0) / 1000).toFixed(0)} s; ${podCounts()}`); shown = performance.now(); }
    await sleep(100);
  }
  const secs = (lastDone - t0) / 1000;
  say();
  say(table([
    ['jobs', 'nodes', 'create phase', 'all complete after', 'jobs completed / s'],
    [String(JOBS), String(NODES), `${((created - t0) / 1000).toFixed(1)} s`, `${secs.toFixed(1)} s`, (JOBS / secs).toFixed(0)],
  ]));
});
