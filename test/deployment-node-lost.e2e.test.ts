/**
 * A Deployment's pods on nodes that are lost are replaced on healthy ones: real server (node lifecycle,
 * scheduler, ReplicaSet and Deployment controllers) with two `lanternd sim` processes; one is killed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../src/api/pod.js';
import { TestServer, type LanterndProcess } from './harness/lanternd.js';
import { startSim as startSimProcess } from './harness/sim.js';

const server = new TestServer(['--no-agent', '--insecure-http', '--node-monitor-grace', '3s', '--pod-eviction-timeout', '1s']);
const sims: LanterndProcess[] = [];

interface List<T> { items: T[] }
const appPods = async (): Promise<Pod[]> => (await server.api<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items;
const live = (p: Pod): boolean => !p.metadata.deletionTimestamp && p.status?.phase === 'Running';

function startSim(prefix: string): LanterndProcess {
  const p = startSimProcess(server.url, server.joinToken, ['--nodes', '2', '--name-prefix', prefix, '--heartbeat-interval', '1s']);
  sims.push(p);
  return p;
}

before(async () => { await server.start(); });
after(async () => {
  for (const p of sims) await p.kill9();
  await server.stop();
});

test('pods evicted from lost nodes (NodeLost) are replaced by the ReplicaSet on the healthy nodes', async () => {
  const doomed = startSim('doomed-');
  await server.until('2 doomed nodes', async () => (await server.api<List<unknown>>('GET', '/api/v1/nodes')).body.items.length === 2, 60_000);
  const r = await server.lcctl(['create', 'deployment', 'web', '--image=busybox', '--replicas=3']);
  assert.equal(r.code, 0, r.stderr);
  await server.until('3 pods running on doomed nodes', async () => {
    const ps = (await appPods()).filter(live);
    return ps.length === 3 && ps.every((p) => p.spec.nodeName?.startsWith('doomed-'));
  }, 60_000);

  startSim('healthy-');
  await server.until('4 nodes', async () => (await server.api<List<unknown>>('GET', '/api/v1/nodes')).body.items.length === 4, 60_000);
  await doomed.kill9();
  const replaced = await server.until('3 pods running on healthy nodes', async () => {
    const ps = (await appPods()).filter(live);
    return ps.length === 3 && ps.every((p) => p.spec.nodeName?.startsWith('healthy-')) && ps;
  }, 90_000);
  assert.equal(replaced.length, 3);
  const st = await server.lcctl(['rollout', 'status', 'deployment/web', '--timeout', '60s']);
  assert.match(st.stdout, /successfully rolled out/);
  // The evicted pods were removed rather than left behind as Failed.
  await server.until('no Failed pods left', async () => (await appPods()).every((p) => p.status?.phase !== 'Failed'), 30_000);
});
