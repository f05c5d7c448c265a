import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Annotations } from '../api/annotations.js';
import { ApiError } from '../api/errors.js';
import type { Pod } from '../api/pod.js';
import type { ApiClient } from '../client/types.js';
import { eventually } from '../testing/eventually.js';
import { FakeAnnotations, FakeEnv } from './fake-behavior.js';
import { withSim } from './testing.js';

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

/** A pod asking the fake node for a behaviour through its annotations. */
const asking = (name: string, annotations: Record<string, string>): Pod => ({ ...pod(name), metadata: { name, namespace: 'default', annotations } });
const phaseOf = async (api: ApiClient, name: string): Promise<string | undefined> => (await api.get<Pod>('pods', name, 'default')).status?.phase;

test('a pod that asks for it runs its own time and exits with its code (Failed/Error), whatever the node\'s run time', async () => {
  await withSim({ count: 1, runForMs: 60_000 }, async ({ api, sim, clock }) => {
    await api.create('pods', asking('crash', { [FakeAnnotations.runFor]: '2s', [FakeAnnotations.exitCode]: '3' }));
    await api.bind('default', 'crash', 'sim-0');
    await eventually('crash Running', async () => await phaseOf(api, 'crash') === 'Running');
    clock.advance(1_999);
    await sim.settled();
    assert.equal(await phaseOf(api, 'crash'), 'Running');
    clock.advance(1);
    await sim.settled();
    const p = await api.get<Pod>('pods', 'crash', 'default');
    assert.equal(p.status?.phase, 'Failed');
    assert.deepEqual([p.status?.containerStatuses?.[0]?.state.terminated?.exitCode, p.status?.containerStatuses?.[0]?.state.terminated?.reason], [3, 'Error']);
  });
});

test('a pod that asks for a start error never starts: it stays Pending, each container waiting with the reason and message', async () => {
  await withSim({ count: 1 }, async ({ api, sim }) => {
    await api.create('pods', asking('broken', { [FakeAnnotations.startError]: 'ErrImagePull: image "nope" not found' }));
    await api.bind('default', 'broken', 'sim-0');
    const p = await eventually('broken waiting', async () => { const x = await api.get<Pod>('pods', 'broken', 'default'); return x.status?.containerStatuses?.[0]?.state.waiting && x; });
    await sim.settled();
    assert.equal(p.status?.phase, 'Pending');
    assert.deepEqual(p.status?.containerStatuses?.[0]?.state.waiting, { reason: 'ErrImagePull', message: 'image "nope" not found' });
    await api.create('pods', asking('typo', { [FakeAnnotations.runFor]: 'soon' }));
    await api.bind('default', 'typo', 'sim-0');
    const typo = await eventually('typo waiting', async () => (await api.get<Pod>('pods', 'typo', 'default')).status?.containerStatuses?.[0]?.state.waiting);
    assert.deepEqual(typo, { reason: 'CreateContainerConfigError', message: 'lantern.dev/fake-run-for "soon" is not a duration such as 2s, 500ms or 1m' });
  });
});

test('the env var stands for the annotation (lcctl run -e LANTERN_FAKE_EXIT_CODE=7)', async () => {
  await withSim({ count: 1 }, async ({ api, sim, clock }) => {
    const p = pod('env');
    p.spec.containers[0]!.env = [{ name: FakeEnv.runFor, value: '1s' }, { name: FakeEnv.exitCode, value: '7' }];
    await api.create('pods', p);
    await api.bind('default', 'env', 'sim-0');
    await eventually('env Running', async () => await phaseOf(api, 'env') === 'Running');
    clock.advance(1_000);
    await sim.settled();
    assert.equal((await api.get<Pod>('pods', 'env', 'default')).status?.containerStatuses?.[0]?.state.terminated?.exitCode, 7);
  });
});

test('docker verbs: run-state stopped ends it with 143, a new start-count starts it again, auto-remove deletes it once exited', async () => {
  await withSim({ count: 1 }, async ({ api, sim, clock }) => {
    await api.create('pods', pod('svc'));
    await api.bind('default', 'svc', 'sim-0');
    const first = await eventually('svc Running', async () => { const x = await api.get<Pod>('pods', 'svc', 'default'); return x.status?.phase === 'Running' && x; });
    const stop = await api.get<Pod>('pods', 'svc', 'default');
    await api.update('pods', { ...stop, metadata: { ...stop.metadata, annotations: { [Annotations.runState]: 'stopped' } } });
    const stopped = await eventually('svc stopped', async () => (await api.get<Pod>('pods', 'svc', 'default')).status?.containerStatuses?.[0]?.state.terminated);
    assert.equal(stopped.exitCode, 143);
    clock.advance(1_000);
    const start = await api.get<Pod>('pods', 'svc', 'default');
    await api.update('pods', { ...start, metadata: { ...start.metadata, annotations: { [Annotations.startCount]: '1' } } });
    const again = await eventually('svc started again', async () => { const x = await api.get<Pod>('pods', 'svc', 'default'); return x.status?.containerStatuses?.[0]?.state.running && x; });
    assert.notEqual(again.status?.containerStatuses?.[0]?.containerID, first.status?.containerStatuses?.[0]?.containerID, 'each start has its own container ID');
    assert.equal(again.status?.phase, 'Running');

    await api.create('pods', asking('rm', { [Annotations.autoRemove]: 'true', [FakeAnnotations.runFor]: '1s' }));
    await api.bind('default', 'rm', 'sim-0');
    await eventually('rm Running', async () => await phaseOf(api, 'rm') === 'Running');
    clock.advance(1_000);
    await sim.settled();
    await assert.rejects(api.get('pods', 'rm', 'default'), (e: unknown) => e instanceof ApiError && e.code === 'NotFound');
  });
});
