import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Probe } from '../../api/schema/pod.js';
import { ManualClock } from '../../testing/clock.js';
import { ContainerProber, containerHealth, type ProbeKind, type ProbeResult } from './probes.js';

const probe = (p: Partial<Probe> = {}): Probe => ({ exec: { command: ['check'] }, initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3, ...p });

/** A prober over fake handlers whose answers the test sets per kind; 'hang' answers only when aborted. */
async function harness(c: Partial<Container>, initial: Partial<Record<ProbeKind, boolean | 'hang'>> = {}) {
  const clock = new ManualClock(0);
  const answers: Record<ProbeKind, boolean | 'hang'> = { liveness: true, readiness: true, startup: true, ...initial };
  const calls: ProbeKind[] = [];
  const failed: string[] = [];
  const unhealthy: string[] = [];
  let changes = 0;
  const container: Container = { name: 'main', image: 'busybox', ...c };
  const prober = new ContainerProber(container, clock, (kind, _p, signal) => {
    calls.push(kind);
    const a = answers[kind];
    if (a === 'hang') return new Promise<ProbeResult>((resolve) => signal.addEventListener('abort', () => resolve({ ok: false, message: `command "check" timed out` })));
    return Promise.resolve(a ? { ok: true } : { ok: false, message: `${kind} says no` });
  }, {
    changed: () => { changes++; },
    failed: (kind, m) => failed.push(`${kind}: ${m}`),
    unhealthy: (kind, m) => unhealthy.push(`${kind}: ${m}`),
  });
  /** Move the clock a tenth of a second at a time, letting each probe settle (fake handlers answer at once). */
  const seconds = (n: number): Promise<void> => clock.advanceAsync(n * 1000, 100);
  prober.start();
  // Half a second in: the first probes (at 0 s) have answered; each further second brings one more.
  await clock.advanceAsync(500, 100);
  return { clock, answers, calls, failed, unhealthy, prober, seconds, changes: () => changes };
}

describe('ContainerProber', () => {
  test('liveness kills only after failureThreshold failures in a row, and a success resets the count', async () => {
    const h = await harness({ livenessProbe: probe({ failureThreshold: 3 }) });
    h.answers.liveness = false;
    await h.seconds(2);
    h.answers.liveness = true;
    await h.seconds(1);
    h.answers.liveness = false;
    await h.seconds(2);
    assert.deepEqual(h.unhealthy, [], 'two failures, a success, two failures: not yet');
    await h.seconds(1);
    assert.deepEqual(h.unhealthy, ['liveness: liveness says no']);
    assert.equal(h.failed.length, 5, 'every failure is reported');
    const before = h.calls.length;
    await h.seconds(5);
    assert.equal(h.calls.length, before, 'no probes after the kill');
  });

  test('a startup probe gates liveness and readiness until it succeeds', async () => {
    const h = await harness({ startupProbe: probe({ failureThreshold: 10 }), livenessProbe: probe(), readinessProbe: probe() }, { startup: false });
    await h.seconds(4);
    assert.deepEqual(new Set(h.calls), new Set(['startup']));
    assert.equal(h.prober.started, false);
    assert.equal(h.prober.ready, false);
    h.answers.startup = true;
    await h.seconds(1);
    assert.equal(h.prober.started, true);
    await h.seconds(1);
    assert.ok(h.calls.includes('liveness') && h.calls.includes('readiness'));
    assert.equal(h.prober.ready, true);
    const startups = h.calls.filter((k) => k === 'startup').length;
    await h.seconds(3);
    assert.equal(h.calls.filter((k) => k === 'startup').length, startups, 'the startup probe stops once it succeeded');
    assert.deepEqual(h.unhealthy, []);
  });

  test('a startup probe that keeps failing asks for a kill', async () => {
    const h = await harness({ startupProbe: probe({ failureThreshold: 2 }), livenessProbe: probe() }, { startup: false });
    await h.seconds(3);
    assert.deepEqual(h.unhealthy, ['startup: startup says no']);
    assert.ok(!h.calls.includes('liveness'));
  });

  test('readiness needs successThreshold successes, turns false after failureThreshold failures, never kills', async () => {
    const h = await harness({ readinessProbe: probe({ successThreshold: 2, failureThreshold: 2 }) });
    assert.equal(h.prober.ready, false, 'one success of two');
    await h.seconds(1);
    assert.equal(h.prober.ready, true);
    assert.equal(h.changes(), 1);
    h.answers.readiness = false;
    await h.seconds(1);
    assert.equal(h.prober.ready, true, 'one failure of two');
    await h.seconds(1);
    assert.equal(h.prober.ready, false);
    await h.seconds(5);
    assert.deepEqual(h.unhealthy, []);
    assert.equal(h.changes(), 2, 'only transitions are reported');
  });

  test('a probe that does not answer within timeoutSeconds fails', async () => {
    const h = await harness({ livenessProbe: probe({ timeoutSeconds: 2, periodSeconds: 5, failureThreshold: 1 }) }, { liveness: 'hang' });
    await h.seconds(1);
    assert.deepEqual(h.unhealthy, [], 'still within the timeout');
    await h.seconds(2);
    assert.deepEqual(h.unhealthy, ['liveness: command "check" timed out']);
  });

  test('no probe runs before initialDelaySeconds', async () => {
    const h = await harness({ livenessProbe: probe({ initialDelaySeconds: 5 }) });
    await h.seconds(4);
    assert.deepEqual(h.calls, []);
    await h.seconds(1);
    assert.deepEqual(h.calls, ['liveness']);
  });

  test('stop() ends all probing', async () => {
    const h = await harness({ livenessProbe: probe(), readinessProbe: probe() });
    const before = h.calls.length;
    h.prober.stop();
    await h.seconds(5);
    assert.equal(h.calls.length, before);
  });
});

describe('containerHealth', () => {
  const slot = { name: 'main', attempt: 0, startCount: '0', current: { id: 'a', status: 'running' as const, labels: {}, logPath: '' } };
  test('without probes a running container is started and ready', () => {
    assert.deepEqual(containerHealth({ name: 'main', image: 'b' }, slot, true), { started: true, ready: true });
    assert.deepEqual(containerHealth({ name: 'main', image: 'b' }, slot, false), { started: false, ready: false });
  });
  test('with a readiness or startup probe it waits for the prober of this very instance', () => {
    const c: Container = { name: 'main', image: 'b', readinessProbe: probe() };
    assert.deepEqual(containerHealth(c, slot, true), { started: true, ready: false });
    assert.deepEqual(containerHealth({ ...c, startupProbe: probe() }, slot, true), { started: false, ready: false });
    assert.deepEqual(containerHealth(c, { ...slot, health: { containerId: 'a', started: true, ready: true } }, true), { started: true, ready: true });
    assert.deepEqual(containerHealth(c, { ...slot, health: { containerId: 'old', started: true, ready: true } }, true), { started: true, ready: false });
  });
});
