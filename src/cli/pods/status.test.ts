import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod } from '../../api/pod.js';
import { dockerStatus, dockerState, dockerCommand, dockerPorts, shortId, containerViews, isErrorReason } from './status.js';
import { kubeStatus, kubeReady, kubeRestarts } from '../../api/printers/pod-status.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const ago = (sec: number): string => new Date(now - sec * 1000).toISOString();

function pod(statuses: ContainerStatus[], extra: Partial<Pod['metadata']> = {}, phase: NonNullable<Pod['status']>['phase'] = 'Running'): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: '0123abcd-4567-89ef-0123-456789abcdef', creationTimestamp: ago(60), ...extra },
    spec: { containers: statuses.length > 1 ? statuses.map((s) => ({ name: s.name, image: 'busybox' })) : [{ name: 'web', image: 'busybox' }] },
    status: { phase, containerStatuses: statuses },
  };
}
const cs = (state: ContainerStatus['state'], more: Partial<ContainerStatus> = {}): ContainerStatus => ({ name: 'web', state, ready: state.running !== undefined, restartCount: 0, image: 'busybox', ...more });

describe('docker STATUS', () => {
  test('running: "Up 5 seconds"', () => {
    const p = pod([cs({ running: { startedAt: ago(5) } })]);
    assert.equal(dockerStatus(p, p.status!.containerStatuses![0], now), 'Up 5 seconds');
    assert.equal(dockerState(p, p.status!.containerStatuses![0]), 'running');
  });
  test('exited: "Exited (0) 3 seconds ago"', () => {
    const p = pod([cs({ terminated: { exitCode: 0, finishedAt: ago(3) } })]);
    assert.equal(dockerStatus(p, p.status!.containerStatuses![0], now), 'Exited (0) 3 seconds ago');
    assert.equal(dockerState(p, p.status!.containerStatuses![0]), 'exited');
  });
  test('not started yet: "Created"', () => {
    const p = pod([cs({ waiting: { reason: 'ContainerCreating' } })], {}, 'Pending');
    assert.equal(dockerStatus(p, p.status!.containerStatuses![0], now), 'Created');
    assert.equal(dockerStatus(p, undefined, now), 'Created');
  });
  test('crash loop: "Restarting (1) 2 seconds ago (CrashLoopBackOff)"', () => {
    const p = pod([cs({ waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(2) } } })]);
    assert.equal(dockerStatus(p, p.status!.containerStatuses![0], now), 'Restarting (1) 2 seconds ago (CrashLoopBackOff)');
    assert.equal(dockerState(p, p.status!.containerStatuses![0]), 'restarting');
  });
  test('being deleted: "Removal In Progress"', () => {
    const p = pod([cs({ running: { startedAt: ago(5) } })], { deletionTimestamp: ago(0) });
    assert.equal(dockerStatus(p, p.status!.containerStatuses![0], now), 'Removal In Progress');
  });
  test('an image pull error shows its reason', () => {
    const p = pod([cs({ waiting: { reason: 'ErrImagePull', message: 'not found' } })], {}, 'Pending');
    assert.equal(dockerStatus(p, p.status!.containerStatuses![0], now), 'Created (ErrImagePull)');
  });
});

describe('kubectl STATUS / READY / RESTARTS', () => {
  test('phase when containers are fine', () => assert.equal(kubeStatus(pod([cs({ running: {} })])), 'Running'));
  test('waiting reason wins', () => assert.equal(kubeStatus(pod([cs({ waiting: { reason: 'CrashLoopBackOff' } })])), 'CrashLoopBackOff'));
  test('terminated reason', () => assert.equal(kubeStatus(pod([cs({ terminated: { exitCode: 0, reason: 'Completed' } })], {}, 'Succeeded')), 'Completed'));
  test('terminated without reason: ExitCode / Signal', () => {
    assert.equal(kubeStatus(pod([cs({ terminated: { exitCode: 2 } })], {}, 'Failed')), 'ExitCode:2');
    assert.equal(kubeStatus(pod([cs({ terminated: { exitCode: 137, signal: 9 } })], {}, 'Failed')), 'Signal:9');
  });
  test('Terminating when deletionTimestamp is set', () => assert.equal(kubeStatus(pod([cs({ running: {} })], { deletionTimestamp: ago(0) })), 'Terminating'));
  test('Pending without statuses', () => assert.equal(kubeStatus(pod([], {}, 'Pending')), 'Pending'));
  test('READY counts ready running containers', () => {
    const p = pod([cs({ running: {} }, { name: 'a' }), cs({ waiting: { reason: 'ContainerCreating' } }, { name: 'b' })]);
    assert.equal(kubeReady(p), '1/2');
  });
  test('RESTARTS with the age of the last restart', () => {
    assert.equal(kubeRestarts(pod([cs({ running: {} })]), now), '0');
    assert.equal(kubeRestarts(pod([cs({ running: {} }, { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(45) } } })]), now), '3 (45s ago)');
  });
});

describe('ps columns', () => {
  test('IDs are 12 hex characters of the uid; multi-container pods add the container name', () => {
    const single = pod([cs({ running: {} })]);
    assert.equal(shortId(single), '0123abcd4567');
    const multi = pod([cs({ running: {} }, { name: 'app' }), cs({ running: {} }, { name: 'sidecar' })]);
    assert.deepEqual(containerViews(multi).map((v) => [v.id, v.name]), [['0123abcd4567/app', 'web/app'], ['0123abcd4567/sidecar', 'web/sidecar']]);
  });
  test('COMMAND is quoted and truncated to 20 characters', () => {
    assert.equal(dockerCommand({ name: 'a', image: 'b', command: ['sh', '-c'], args: ['echo hello world forever'] }, false), '"sh -c \'echo hello w…"');
    assert.equal(dockerCommand({ name: 'a', image: 'b', args: ['sleep', '60'] }, false), '"sleep 60"');
    assert.equal(dockerCommand({ name: 'a', image: 'b', command: ['sh', '-c'], args: ['echo hello world forever'] }, true), '"sh -c \'echo hello world forever\'"');
  });
  test('PORTS as Docker prints them', () => {
    const p = pod([cs({ running: {} })]);
    p.spec.containers[0]!.ports = [{ containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1', protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }, { containerPort: 443, hostPort: 8443 }];
    assert.equal(dockerPorts(p), '127.0.0.1:8080->80/tcp, 53/udp, 0.0.0.0:8443->443/tcp');
  });
  test('error reasons', () => {
    for (const r of ['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'CreateContainerError', 'InvalidImageName']) assert.equal(isErrorReason(r), true, r);
    for (const r of ['ContainerCreating', 'CrashLoopBackOff', 'PodInitializing']) assert.equal(isErrorReason(r), false, r);
  });
});
