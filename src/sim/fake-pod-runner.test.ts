import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import type { Pod } from '../api/pod.js';
import { eventually, withSim } from './testing.js';

const pod = (name: string, containers = ['app']): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
} as Pod);

test('a pod bound to a simulated node is reported Running, every container ready, with a fake pod IP', async () => {
  await withSim({ count: 2 }, async ({ api, sim }) => {
    await api.create('pods', pod('web', ['app', 'sidecar']));
    await api.bind('default', 'web', 'sim-1');
    const p = await eventually('web Running', async () => { const p = await api.get<Pod>('pods', 'web', 'default'); return p.status?.phase === 'Running' && p; });
    assert.deepEqual(p.status?.containerStatuses?.map((c) => [c.name, c.ready, c.state.running !== undefined]), [['app', true, true], ['sidecar', true, true]]);
    assert.match(p.status?.podIP ?? '', /^10\.128\.1\.\d+$/, 'the address comes from sim-1\'s range');
    assert.equal(p.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True', 'the scheduler\'s condition is kept');
    await sim.settled();
  });
});

test('with a run time, pods report Succeeded with exit code 0 and reason Completed once it has passed', async () => {
  await withSim({ count: 1, runForMs: 5_000 }, async ({ api, sim, clock }) => {
    await api.create('pods', pod('job'));
    await api.bind('default', 'job', 'sim-0');
    await eventually('job Running', async () => (await api.get<Pod>('pods', 'job', 'default')).status?.phase === 'Running');
    clock.advance(4_999);
    await sim.settled();
    assert.equal((await api.get<Pod>('pods', 'job', 'default')).status?.phase, 'Running');
    clock.advance(1);
    await sim.settled();
    const p = await api.get<Pod>('pods', 'job', 'default');
    assert.equal(p.status?.phase, 'Succeeded');
    const term = p.status?.containerStatuses?.[0]?.state.terminated;
    assert.equal(term?.exitCode, 0);
    assert.equal(term?.reason, 'Completed');
    assert.equal(Date.parse(term!.finishedAt!) - Date.parse(term!.startedAt!), 5_000);
  });
});

test('pods of nodes this process does not simulate are left alone', async () => {
  await withSim({ count: 1 }, async ({ api, sim }) => {
    await api.create('pods', pod('elsewhere'));
    await api.bind('default', 'elsewhere', 'real-node');
    await api.create('pods', pod('mine'));
    await api.bind('default', 'mine', 'sim-0');
    await eventually('mine Running', async () => (await api.get<Pod>('pods', 'mine', 'default')).status?.phase === 'Running');
    await sim.settled();
    assert.notEqual((await api.get<Pod>('pods', 'elsewhere', 'default')).status?.phase, 'Running');
  });
});

test('a pod deleted while running is finalized at once', async () => {
  await withSim({ count: 1 }, async ({ api }) => {
    await api.create('pods', pod('doomed'));
    await api.bind('default', 'doomed', 'sim-0');
    await eventually('doomed Running', async () => (await api.get<Pod>('pods', 'doomed', 'default')).status?.phase === 'Running');
    const marked = await api.delete<Pod>('pods', 'doomed', 'default');
    assert.ok(marked.metadata.deletionTimestamp, 'the API marks a running pod for graceful deletion first');
    await eventually('doomed gone', async () => {
      try { await api.get('pods', 'doomed', 'default'); return false; } catch (e) { return e instanceof ApiError && e.code === 'NotFound'; }
    });
  });
});
