import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { ContainerRuntime, ContainerInfo } from '../../runtime/types.js';
import type { ContainerSlot } from '../container-slot.js';
import { ManualClock } from '../../testing/clock.js';
import { PodProbes } from './probe-runner.js';

const instance = (id: string, status: ContainerInfo['status'] = 'running'): ContainerInfo => ({ id, status, labels: {}, logPath: '' });

describe('PodProbes', () => {
  test('probes each running instance, reports readiness, records events and asks to kill on liveness failure', async () => {
    const clock = new ManualClock(0);
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' },
      spec: { containers: [{ name: 'main', image: 'busybox', livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1, failureThreshold: 2 }, readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 1 } }, { name: 'plain', image: 'busybox' }] },
    };
    const healthy = new Map<string, boolean>([['a', true], ['b', true]]);
    const events: string[] = [];
    const kills: string[] = [];
    let changes = 0;
    const probes = new PodProbes({
      clock, runtime: {} as ContainerRuntime,
      events: { record: async (_o, type, reason, message) => { events.push(`${type} ${reason} ${message}`); return undefined; } },
      pod: () => pod, podIP: () => '10.0.0.2',
      changed: () => { changes++; },
      kill: (c, id) => kills.push(`${c}/${id}`),
      handler: (id) => async (kind) => (kind === 'readiness' || healthy.get(id) ? { ok: true } : { ok: false, message: 'exit status 1' }),
    });
    const main: ContainerSlot = { name: 'main', attempt: 0, startCount: '0', current: instance('a') };
    const plain: ContainerSlot = { name: 'plain', attempt: 0, startCount: '0', current: instance('p') };
    const slots = new Map([['main', main], ['plain', plain]]);
    probes.sync(slots);
    assert.deepEqual(main.health, { containerId: 'a', started: true, ready: false });
    assert.equal(plain.health, undefined, 'a container without probes has no prober');
    await clock.advanceAsync(1_000);
    assert.deepEqual(main.health, { containerId: 'a', started: true, ready: true });
    assert.equal(changes, 1);

    healthy.set('a', false);
    await clock.advanceAsync(3_000);
    assert.deepEqual(kills, ['main/a']);
    assert.deepEqual(events, ['Warning Unhealthy Liveness probe failed: exit status 1', 'Warning Unhealthy Liveness probe failed: exit status 1', 'Normal Killing Container main failed liveness probe, will be restarted']);

    // The restarted instance gets a fresh prober: not ready until its own readiness probe passes.
    main.current = instance('b');
    probes.sync(slots);
    assert.deepEqual(main.health, { containerId: 'b', started: true, ready: false });
    await clock.advanceAsync(3_000);
    assert.equal(main.health?.ready, true);
    assert.deepEqual(kills, ['main/a']);

    main.current = instance('b', 'stopped');
    probes.sync(slots);
    const before = changes;
    await clock.advanceAsync(3_000);
    assert.equal(changes, before, 'no probing of a stopped instance');
    probes.stop();
  });
});
