/**
 * bench:gang — gang scheduling. (1) A gang of 256 pods on 1,000 simulated nodes through the real
 * server: time from the last member's creation to the last binding (server stamps). (2) 1,000 trials
 * of two gangs that cannot both fit, each through the real scheduler over the in-process API and a
 * real SQLite store: afterwards exactly one gang must be bound whole and the other not at all (no
 * deadlock, no partial gang).
 *
 * Env: NODES (1000), GANG (256), TRIALS (1000).
 */
import type { Node } from '../src/api/node.js';
import type { Pod } from '../src/api/pod.js';
import type { PodGroup } from '../src/api/schema/pod-group.js';
import { GangAnnotations } from '../src/api/annotations.js';
import { openTestApi } from '../src/testing/api.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import type { ApiClient } from '../src/client/types.js';
import { TestServer } from '../test/harness/lanternd.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { newClient } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { startSim, waitReady } from './lib/sim.js';
import { median, ms, percentile, table, verdict } from './lib/stats.js';

const num = (name: string, dflt: number): number => { const v = Number(process.env[name]); return Number.isFinite(v) && v > 0 ? v : dflt; };
const NODES = num('NODES', 1000);
const GANG = num('GANG', 256);
const TRIALS = num('TRIALS', 1000);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

const member = (group: string, i: number, cpu: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: `${group}-${i}`, namespace: 'default', annotations: { [GangAnnotations.group]: group } },
  spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu, memory: '64Mi' } } }] },
} as Pod);
const group = (name: string, minMember: number): PodGroup => ({ apiVersion: 'lantern.dev/v1', kind: 'PodGroup', metadata: { name, namespace: 'default' }, spec: { minMember } });
const boundAt = (p: Pod): number | undefined => {
  const t = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True')?.lastTransitionTime;
  return p.spec.nodeName && t ? Date.parse(t) : undefined;
};

/** Part 1: one big gang through the real server and simulated nodes. */
async function bigGang(): Promise<{ placeMs: number; spreadNodes: number }> {
  const server = new TestServer(['--no-agent']);
  onCleanup('stop lanternd', () => server.stop());
  await server.start();
  const client = newClient(server);
  const t0 = performance.now();
  const sim = startSim(server.url, server.token, NODES, '10s', ['--cpu', '8', '--memory', '32Gi']);
  await waitReady(client, NODES, t0, () => (sim.proc.exitCode !== null ? `lanternd sim exited: ${sim.output().slice(-300)}` : undefined), 300_000);
  await client.create('podgroups', group('train', GANG));
  const clients = Array.from({ length: 16 }, () => newClient(server));
  let next = 0;
  await Promise.all(clients.map(async (c) => { for (let i = next++; i < GANG; i = next++) await c.create('pods', member('train', i, '2')); }));
  for (;;) {
    checkStop();
    const pods = (await client.list<Pod>('pods', 'default')).items;
    const times = pods.map(boundAt);
    if (times.every((t) => t !== undefined) && pods.length === GANG) {
      const lastCreated = Math.max(...pods.map((p) => Date.parse(p.metadata.creationTimestamp!)));
      return { placeMs: Math.max(...(times as number[])) - lastCreated, spreadNodes: new Set(pods.map((p) => p.spec.nodeName)).size };
    }
    await sleep(100);
  }
}

/** Part 2: two gangs that cannot both fit, again and again, through the real scheduler in process. */
async function competingGangs(): Promise<{ trials: number; wholeOne: number; deadlocks: number; partial: number; durations: number[] }> {
  const t = await openTestApi({ prefix: 'lantern-bench-gang-' });
  onCleanup('close and remove the gang trial store', () => t.close());
  const api: ApiClient = t.api;
  // 8 nodes of 4 cpu = 32 cpu; each gang wants 6 pods x 3 cpu = 18 cpu: one fits, both never.
  for (let i = 0; i < 8; i++) {
    const n = await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, labels: { 'kubernetes.io/hostname': `n${i}` } } });
    const alloc = { cpu: '4', memory: '64Gi', pods: '110' };
    await api.updateStatus<Node>('nodes', { ...n, status: { capacity: alloc, allocatable: alloc } });
  }
  const scheduler = new Scheduler(api);
  await scheduler.start();
  onCleanup('stop the in-process scheduler', () => scheduler.stop());
  let wholeOne = 0, deadlocks = 0, partial = 0;
  const durations: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    checkStop();
    const [a, b] = [`a${t}`, `b${t}`];
    const start = performance.now();
    await api.create('podgroups', group(a, 6));
    await api.create('podgroups', group(b, 6));
    // Interleave the members' creation so neither gang is complete first by construction.
    await Promise.all(Array.from({ length: 6 }, (_, i) => [api.create('pods', member(a, i, '3')), api.create('pods', member(b, i, '3'))]).flat());
    let counts: [number, number] = [0, 0];
    let waited = 0;
    for (;;) {
      const pods = (await api.list<Pod>('pods', 'default')).items;
      counts = [pods.filter((p) => p.metadata.name.startsWith(`${a}-`) && p.spec.nodeName).length, pods.filter((p) => p.metadata.name.startsWith(`${b}-`) && p.spec.nodeName).length];
      const loser = counts[0] === 6 ? b : counts[1] === 6 ? a : undefined;
      const loserWaits = loser !== undefined && pods.filter((p) => p.metadata.name.startsWith(`${loser}-`)).every((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
      if (loserWaits || waited > 5000) break;
      await sleep(5);
      waited += 5;
    }
    durations.push(performance.now() - start);
    if ((counts[0] === 6 && counts[1] === 0) || (counts[1] === 6 && counts[0] === 0)) wholeOne++;
    else if (counts[0] === 0 && counts[1] === 0) deadlocks++;
    else partial++;
    // No agent runs here: a bound pod's first delete only marks it terminating; a second with grace 0 removes it.
    for (let round = 0; round < 2; round++) {
      for (const p of (await api.list<Pod>('pods', 'default')).items) await api.delete('pods', p.metadata.name, 'default', { gracePeriodSeconds: 0 });
    }
    await api.delete('podgroups', a, 'default');
    await api.delete('podgroups', b, 'default');
    if ((t + 1) % 100 === 0) process.stderr.write(`  ${t + 1}/${TRIALS} trials\n`);
  }
  return { trials: TRIALS, wholeOne, deadlocks, partial, durations };
}

runBenchmark('bench:gang', async () => {
  say('== bench:gang: all-or-nothing placement of pod groups ==');
  say(machineReport());
  const big = await bigGang();
  say(`a gang of ${GANG} pods (2 cpu each) on ${NODES} simulated nodes (8 cpu): placed ${ms(big.placeMs)} after its last member was created, on ${big.spreadNodes} nodes; target < 1 s: ${verdict(big.placeMs < 1000)}`);
  const c = await competingGangs();
  say('');
  say(table([
    ['trials', 'one gang whole, other none', 'deadlocks (neither)', 'partial gangs', 'trial p50', 'trial p99'],
    [String(c.trials), String(c.wholeOne), String(c.deadlocks), String(c.partial), ms(median(c.durations)), ms(percentile(c.durations, 99))],
  ]));
  say('two gangs of 6 x 3 cpu on 8 nodes x 4 cpu (32 cpu; each gang needs 18), members created interleaved; real scheduler, in-process API, SQLite');
  say(`load avg at the end: ${load()}`);
});
