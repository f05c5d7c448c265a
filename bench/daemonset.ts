/**
 * bench:daemonset — a DaemonSet on NODES simulated nodes (`lanternd sim`, a FAKE runtime that reports
 * pods Running and Ready) against a real `lanternd server --no-agent`: the time from creating the set
 * until every node runs its pod (available), then a rolling update with maxUnavailable 10% until every
 * node runs the new template. The peer, in the same run and on the same nodes: a Deployment of NODES
 * replicas (placed by the scheduler's spreading, not pinned one per node) created and rolled with
 * maxUnavailable 10%, maxSurge 0.
 *
 * Env: BENCH_NODES (1000).
 */
import type { DaemonSet } from '../src/api/schema/daemonset.js';
import type { Deployment } from '../src/api/schema/apps.js';
import type { HttpClient } from '../src/client/http-client.js';
import { rolloutState } from '../src/cli/deployments/rollout-status.js';
import { daemonSetRolloutState } from '../src/cli/workloads/rollout-status.js';
import { TestServer } from '../test/harness/lanternd.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { ProcSampler } from './lib/cpu.js';
import { newClient } from './lib/lantern.js';
import { machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { startSim, waitReady } from './lib/sim.js';
import { ratio, table } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const NODES = Number(process.env.BENCH_NODES ?? '1000');
const template = (version: string): DaemonSet['spec']['template'] => ({
  metadata: { labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'busybox:latest', env: [{ name: 'V', value: version }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});

/** Poll `read` until the kubectl rollout status it gives is done; the seconds it took. */
async function until(what: string, read: () => Promise<{ done: boolean; failed: boolean; message: string }>, start: number): Promise<number> {
  const deadline = performance.now() + 900_000;
  let last = '';
  for (;;) {
    checkStop();
    const s = await read();
    if (s.failed) throw new Error(`${what}: ${s.message}`);
    if (s.done) return (performance.now() - start) / 1000;
    if (s.message !== last) { process.stderr.write(`  ${what}: ${s.message}\n`); last = s.message; }
    if (performance.now() > deadline) throw new Error(`${what}: timed out: ${s.message}`);
    await sleep(100);
  }
}

async function daemonSet(client: HttpClient): Promise<{ create: number; roll: number }> {
  const ds: DaemonSet = {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'bench', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'bench' } }, template: template('1'), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } } },
  };
  const read = async (): Promise<ReturnType<typeof daemonSetRolloutState>> => {
    const d = await client.get<DaemonSet>('daemonsets', 'bench', 'default');
    const st = daemonSetRolloutState(d);
    return d.status?.desiredNumberScheduled === NODES ? st : { ...st, done: false };
  };
  let t = performance.now();
  await client.create('daemonsets', ds);
  const create = await until('daemonset create', read, t);
  const cur = await client.get<DaemonSet>('daemonsets', 'bench', 'default');
  t = performance.now();
  await client.update('daemonsets', { ...cur, spec: { ...cur.spec, template: template('2') } });
  await sleep(200); // let the controller observe the new generation before polling status
  const roll = await until('daemonset rolling update', read, t);
  await client.delete('daemonsets', 'bench', 'default');
  return { create, roll };
}

async function deployment(client: HttpClient): Promise<{ create: number; roll: number }> {
  const d: Deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'peer', namespace: 'default' },
    spec: { replicas: NODES, selector: { matchLabels: { app: 'bench' } }, template: template('1'), strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } } },
  };
  const read = async (): Promise<ReturnType<typeof rolloutState>> => rolloutState(await client.get<Deployment>('deployments', 'peer', 'default'));
  let t = performance.now();
  await client.create('deployments', d);
  const create = await until('deployment create', read, t);
  const cur = await client.get<Deployment>('deployments', 'peer', 'default');
  t = performance.now();
  await client.update('deployments', { ...cur, spec: { ...cur.spec, template: template('2') } });
  await sleep(200);
  const roll = await until('deployment rolling update', read, t);
  await client.delete('deployments', 'peer', 'default');
  return { create, roll };
}

runBenchmark('bench:daemonset', async () => {
  say('== bench:daemonset: a DaemonSet on simulated nodes, and a Deployment of as many replicas as the peer ==');
  say(machineReport());
  say(`${NODES} simulated nodes (fake runtime: pods report Running and Ready at once); server --no-agent; RollingUpdate maxUnavailable 10%, maxSurge 0`);
  const server = new TestServer(['--no-agent']);
  onCleanup('stop lanternd server and remove its data dir', () => server.stop());
  await server.start();
  const client = newClient(server);
  const sim = startSim(server.url, server.token, NODES, '10s', ['--pods', '110', '--concurrency', '64']);
  await waitReady(client, NODES, performance.now(), () => (sim.proc.exitCode !== null ? `lanternd sim exited: ${sim.output().slice(-500)}` : undefined), 600_000);
  await sleep(2000);
  const cpu = new ProcSampler(server.proc!.pid!);
  const ds = await daemonSet(client);
  const dsCpu = cpu.stop();
  say(`daemonset: every node running its pod after ${ds.create.toFixed(1)} s; rolling update done after ${ds.roll.toFixed(1)} s`);
  await sleep(5000); // the set's pods go before the peer's come
  const peer = await deployment(client);
  say(`deployment peer: ${NODES} replicas available after ${peer.create.toFixed(1)} s; rolling update done after ${peer.roll.toFixed(1)} s`);
  say();
  say(table([
    ['', 'DaemonSet', `Deployment (${NODES} replicas)`, 'ratio DS/Deployment'],
    ['create -> all available', `${ds.create.toFixed(1)} s`, `${peer.create.toFixed(1)} s`, ratio(ds.create, peer.create)],
    ['rolling update (maxUnavailable 10%)', `${ds.roll.toFixed(1)} s`, `${peer.roll.toFixed(1)} s`, ratio(ds.roll, peer.roll)],
  ]));
  say(`server during the DaemonSet phase: CPU ${dsCpu.cpuPct.toFixed(0)}% of a core on average (peak ${dsCpu.cpuPeakPct.toFixed(0)}%), RSS peak ${(dsCpu.rssPeakKib / 1024).toFixed(0)} MB`);
});
