import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Annotations, type ContainerStatus, type Pod, type PodStatus } from '../../api/pod.js';
import type { ContainerInfo } from '../../runtime/types.js';
import type { ContainerSlot } from '../container-slot.js';
import { computePodStatus, sameStatus, terminatedState } from './pod-status.js';
import { podKind } from '../../api/kinds/pod.js';

const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const AT = new Date(NOW).toISOString();

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never', containers = ['c'], annotations?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', annotations },
    spec: { restartPolicy, containers: containers.map((name) => ({ name, image: `img-${name}` })) },
  };
}
function info(id: string, status: ContainerInfo['status'], extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return { id, status, labels: { 'lantern.container.image-id': `sha256:${id}` }, logPath: `/logs/${id}`, startedAt: '2024-05-01T11:00:00Z', ...extra };
}
const stopped = (id: string, exitCode: number | undefined, extra: Partial<ContainerInfo> = {}): ContainerInfo =>
  info(id, 'stopped', { exitCode, finishedAt: '2024-05-01T11:30:00Z', ...extra });
function slots(...list: ContainerSlot[]): Map<string, ContainerSlot> { return new Map(list.map((s) => [s.name, s])); }
const slot = (s: Partial<ContainerSlot> & { name?: string } = {}): ContainerSlot => ({ name: 'c', attempt: 0, startCount: '0', ...s });
const only = (status: PodStatus): ContainerStatus => status.containerStatuses![0]!;
const cond = (status: PodStatus, type: string): string | undefined => status.conditions?.find((c) => c.type === type)?.status;

describe('computePodStatus phases and container states', () => {
  test('nothing created yet: Pending, ContainerCreating, not ready, restartCount 0', () => {
    const s = computePodStatus(pod('Always'), new Map(), {}, NOW);
    assert.equal(s.phase, 'Pending');
    assert.deepEqual(only(s), { name: 'c', state: { waiting: { reason: 'ContainerCreating' } }, ready: false, restartCount: 0, image: 'img-c', started: false });
    assert.deepEqual(s.conditions?.map((c) => [c.type, c.status]), [['Initialized', 'True'], ['ContainersReady', 'False'], ['Ready', 'False']]);
    assert.equal(s.startTime, AT);
  });

  test('a created (not yet started) container is still ContainerCreating', () => {
    const s = computePodStatus(pod('Always'), slots(slot({ current: info('a', 'created') })), {}, NOW);
    assert.equal(s.phase, 'Pending');
    assert.deepEqual(only(s).state, { waiting: { reason: 'ContainerCreating' } });
    assert.equal(only(s).containerID, 'lantern://a');
  });

  test('an image that is missing shows the waiting reason and message', () => {
    const waiting = { reason: 'ErrImagePull', message: 'image "img-c" is not present on node n1' };
    const s = computePodStatus(pod('Always'), slots(slot({ waiting })), {}, NOW);
    assert.equal(s.phase, 'Pending');
    assert.deepEqual(only(s).state, { waiting });
  });

  test('a long error message is cut to what the API accepts, and the status the agent writes passes the Pod kind\'s validation', () => {
    const waiting = { reason: 'ErrImagePull', message: `registry said: ${'x'.repeat(10_000)}` };
    const p = { ...pod('Always'), spec: { ...pod('Always').spec, nodeName: 'n1' } };
    const s = computePodStatus(p, slots(slot({ waiting })), { podIP: '10.88.0.5', hostIP: '192.168.1.10' }, NOW);
    assert.equal(only(s).state.waiting?.message?.length, 4096);
    assert.match(only(s).state.waiting?.message ?? '', /^registry said: x+\.\.\. \(truncated\)$/);
    assert.deepEqual(podKind.validate({ ...p, status: s }), []);
    const running = computePodStatus(p, slots(slot({ current: info('a', 'running'), lastTerminated: terminatedState(stopped('z', 1)) })), { podIP: '10.88.0.5', hostIP: '192.168.1.10' }, NOW);
    assert.deepEqual(podKind.validate({ ...p, status: running }), []);
  });

  test('a container whose first start is still failing has restartCount 0, not -1', () => {
    // PodRunner.slotFor creates slots with attempt -1; they keep it until a container is created.
    const s = computePodStatus(pod('Always'), slots(slot({ attempt: -1, waiting: { reason: 'ErrImagePull' } })), {}, NOW);
    assert.equal(only(s).restartCount, 0, 'BUG: pod-status.ts reports restartCount = slot.attempt, which is -1 for a slot the worker made (slotFor) while the image is missing or the config is invalid');
  });

  test('running: phase Running, ready, with container and image ids', () => {
    const s = computePodStatus(pod('Always'), slots(slot({ current: info('a', 'running') })), { podIP: '10.88.0.5', hostIP: '192.168.1.10' }, NOW);
    assert.equal(s.phase, 'Running');
    assert.deepEqual(only(s), {
      name: 'c', state: { running: { startedAt: '2024-05-01T11:00:00Z' } }, ready: true, restartCount: 0, image: 'img-c', started: true,
      containerID: 'lantern://a', imageID: 'sha256:a',
    });
    assert.equal(cond(s, 'ContainersReady'), 'True');
    assert.equal(cond(s, 'Ready'), 'True');
    assert.equal(s.podIP, '10.88.0.5');
    assert.deepEqual(s.podIPs, [{ ip: '10.88.0.5' }]);
    assert.equal(s.hostIP, '192.168.1.10');
  });

  test('no podIP or hostIP fields when the network has none (host network before set-up)', () => {
    const s = computePodStatus(pod('Always'), new Map(), {}, NOW);
    assert.equal('podIP' in s, false);
    assert.equal('podIPs' in s, false);
    assert.equal('hostIP' in s, false);
  });

  test('ready only when every container is running', () => {
    const s = computePodStatus(pod('Always', ['a', 'b']), slots(slot({ name: 'a', current: info('a', 'running') }), slot({ name: 'b', current: info('b', 'created') })), {}, NOW);
    assert.equal(cond(s, 'Ready'), 'False');
    assert.deepEqual(s.containerStatuses?.map((c) => c.ready), [true, false]);
  });

  const finals: [string, 'OnFailure' | 'Never', number[], 'Succeeded' | 'Failed', string[]][] = [
    ['Never, exit 0: Succeeded / Completed', 'Never', [0], 'Succeeded', ['Completed']],
    ['Never, exit 1: Failed / Error', 'Never', [1], 'Failed', ['Error']],
    ['OnFailure, exit 0: Succeeded', 'OnFailure', [0], 'Succeeded', ['Completed']],
    ['Never, one of two failed: Failed', 'Never', [0, 3], 'Failed', ['Completed', 'Error']],
  ];
  for (const [what, policy, codes, phase, reasons] of finals) {
    test(what, () => {
      const names = codes.map((_, i) => `c${i}`);
      const s = computePodStatus(pod(policy, names), slots(...codes.map((code, i) => slot({ name: `c${i}`, current: stopped(`id${i}`, code) }))), {}, NOW);
      assert.equal(s.phase, phase);
      assert.deepEqual(s.containerStatuses?.map((c) => c.state.terminated?.reason), reasons);
      assert.deepEqual(s.containerStatuses?.map((c) => c.state.terminated?.exitCode), codes);
      assert.equal(cond(s, 'Ready'), 'False');
    });
  }

  test('a terminated state carries the exit code, times and container id', () => {
    const s = computePodStatus(pod('Never'), slots(slot({ current: stopped('a', 2) })), {}, NOW);
    assert.deepEqual(only(s).state, { terminated: { exitCode: 2, reason: 'Error', containerID: 'lantern://a', startedAt: '2024-05-01T11:00:00Z', finishedAt: '2024-05-01T11:30:00Z' } });
  });

  test('a pod with one container still running is Running, even when another finished', () => {
    const s = computePodStatus(pod('Never', ['a', 'b']), slots(slot({ name: 'a', current: stopped('a', 0) }), slot({ name: 'b', current: info('b', 'running') })), {}, NOW);
    assert.equal(s.phase, 'Running');
  });

  test('a crash under Always during back-off: CrashLoopBackOff with the last termination', () => {
    const s = computePodStatus(pod('Always'), slots(slot({ attempt: 2, current: stopped('a', 1), backoffUntil: NOW + 20_000 })), {}, NOW);
    assert.equal(s.phase, 'Running');
    const c = only(s);
    assert.deepEqual(c.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting failed container c in pod web' } });
    assert.equal(c.lastState?.terminated?.exitCode, 1);
    assert.equal(c.lastState?.terminated?.reason, 'Error');
    assert.equal(c.restartCount, 2);
    assert.equal(c.ready, false);
  });

  test('once the back-off has passed the crash shows as terminated until the restart', () => {
    const s = computePodStatus(pod('Always'), slots(slot({ current: stopped('a', 1), backoffUntil: NOW })), {}, NOW);
    assert.equal(s.phase, 'Running');
    assert.equal(only(s).state.terminated?.exitCode, 1);
  });

  test('after a restart the previous termination is lastState', () => {
    const last = terminatedState(stopped('old', 137, { oomKilled: true }));
    const s = computePodStatus(pod('Always'), slots(slot({ attempt: 1, current: info('new', 'running'), lastTerminated: last })), {}, NOW);
    assert.equal(only(s).restartCount, 1);
    assert.deepEqual(only(s).lastState, { terminated: last });
    assert.equal(only(s).lastState?.terminated?.reason, 'OOMKilled');
  });

  test('a failed start (command not found) is a termination with its reason', () => {
    const failedStart = { exitCode: 127, reason: 'ContainerCannotRun', message: 'exec: "nope": executable file not found in $PATH' };
    const s = computePodStatus(pod('Never'), slots(slot({ failedStart })), {}, NOW);
    assert.equal(s.phase, 'Failed');
    assert.deepEqual(only(s).state, { terminated: failedStart });
    const looping = computePodStatus(pod('Always'), slots(slot({ failedStart, backoffUntil: NOW + 1 })), {}, NOW);
    assert.equal(only(looping).state.waiting?.reason, 'CrashLoopBackOff');
    assert.deepEqual(only(looping).lastState, { terminated: failedStart });
  });

  test('a container the user stopped stays terminated, not CrashLoopBackOff, and the pod is finished', () => {
    const p = pod('Always', ['c'], { [Annotations.runState]: 'stopped' });
    const s = computePodStatus(p, slots(slot({ current: stopped('a', 0), backoffUntil: NOW + 10_000 })), {}, NOW);
    assert.equal(s.phase, 'Succeeded');
    assert.equal(only(s).state.terminated?.reason, 'Completed');
  });
});

describe('terminatedState', () => {
  const cases: [string, Partial<ContainerInfo>, { exitCode: number; reason: string; signal?: number }][] = [
    ['exit 0 is Completed', { exitCode: 0 }, { exitCode: 0, reason: 'Completed' }],
    ['exit 1 is Error', { exitCode: 1 }, { exitCode: 1, reason: 'Error' }],
    ['the OOM killer is OOMKilled, signal 9', { exitCode: 137, oomKilled: true }, { exitCode: 137, reason: 'OOMKilled', signal: 9 }],
    ['SIGTERM without OOM is Error, signal 15', { exitCode: 143 }, { exitCode: 143, reason: 'Error', signal: 15 }],
    ['an unknown exit code reads as 255', { exitCode: undefined }, { exitCode: 255, reason: 'Error' }],
  ];
  for (const [what, extra, want] of cases) {
    test(what, () => {
      const t = terminatedState(stopped('x', extra.exitCode, extra));
      assert.equal(t.exitCode, want.exitCode);
      assert.equal(t.reason, want.reason);
      assert.equal(t.signal, want.signal);
      assert.equal(t.containerID, 'lantern://x');
    });
  }
});

describe('conditions across updates', () => {
  test('PodScheduled is kept; transition times stay while a condition keeps its status', () => {
    const p = pod('Always');
    const first = computePodStatus(p, slots(slot({ current: info('a', 'running') })), {}, NOW);
    p.status = { ...first, conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-05-01T10:00:00.000Z' }, ...first.conditions!] };
    const later = NOW + 60_000;
    const again = computePodStatus(p, slots(slot({ current: info('a', 'running') })), {}, later);
    assert.deepEqual(again.conditions?.map((c) => [c.type, c.status, c.lastTransitionTime]), [
      ['PodScheduled', 'True', '2024-05-01T10:00:00.000Z'],
      ['Initialized', 'True', AT],
      ['ContainersReady', 'True', AT],
      ['Ready', 'True', AT],
    ]);
    assert.equal(again.startTime, AT, 'startTime is kept');
    p.status = again;
    const crashed = computePodStatus(p, slots(slot({ current: stopped('a', 1), backoffUntil: later + 10_000 })), {}, later);
    assert.equal(crashed.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, new Date(later).toISOString());
    assert.equal(crashed.conditions?.find((c) => c.type === 'Initialized')?.lastTransitionTime, AT);
  });
});

describe('sameStatus', () => {
  const base = computePodStatus(pod('Always'), slots(slot({ current: info('a', 'running') })), { podIP: '10.88.0.2' }, NOW);
  const clone = (): PodStatus => structuredClone(base);

  test('statuses that differ only in condition transition times are the same', () => {
    const b = clone();
    for (const c of b.conditions ?? []) c.lastTransitionTime = '2030-01-01T00:00:00.000Z';
    assert.equal(sameStatus(base, b), true);
  });

  const changes: [string, (s: PodStatus) => void][] = [
    ['phase', (s) => { s.phase = 'Failed'; }],
    ['a condition status', (s) => { s.conditions![2]!.status = 'False'; }],
    ['podIP', (s) => { s.podIP = '10.88.0.3'; }],
    ['restartCount', (s) => { s.containerStatuses![0]!.restartCount = 1; }],
    ['a container state', (s) => { s.containerStatuses![0]!.state = { waiting: { reason: 'CrashLoopBackOff' } }; }],
    ['startTime', (s) => { s.startTime = '2030-01-01T00:00:00.000Z'; }],
  ];
  for (const [what, change] of changes) {
    test(`a different ${what} is a change`, () => {
      const b = clone();
      change(b);
      assert.equal(sameStatus(base, b), false);
    });
  }

  test('no status yet differs from any status', () => {
    assert.equal(sameStatus(undefined, base), false);
  });
});
