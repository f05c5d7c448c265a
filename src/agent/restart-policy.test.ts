import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Annotations, type Pod } from '../api/pod.js';
import { defaultBackoff, restartDelay, shouldRestart } from './restart-policy.js';

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never' | undefined, annotations?: Record<string, string>): Pod {
  const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  if (restartPolicy) p.spec.restartPolicy = restartPolicy;
  return p;
}

describe('restartDelay', () => {
  test('0 before the first start, then doubling from the initial delay up to the cap', () => {
    const cfg = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => restartDelay(n, cfg)),
      [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000]);
  });

  test('negative counts are treated as none', () => {
    assert.equal(restartDelay(-1, defaultBackoff), 0);
  });

  test('the defaults are Kubernetes\' CrashLoopBackOff: 10 s doubling to 5 min, reset after 10 min', () => {
    assert.deepEqual(defaultBackoff, { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 });
  });

  test('a small cap is respected from the start', () => {
    assert.equal(restartDelay(1, { initialMs: 500, maxMs: 100, resetAfterMs: 0 }), 100);
  });
});

describe('shouldRestart', () => {
  const cases: [string, Pod, number, number, boolean][] = [
    ['Always restarts after success', pod('Always'), 0, 0, true],
    ['Always restarts after failure', pod('Always'), 1, 5, true],
    ['no policy means Always', pod(undefined), 0, 0, true],
    ['OnFailure does not restart after exit 0', pod('OnFailure'), 0, 0, false],
    ['OnFailure restarts after a non-zero exit', pod('OnFailure'), 2, 0, true],
    ['OnFailure restarts after a kill (137)', pod('OnFailure'), 137, 3, true],
    ['Never does not restart after success', pod('Never'), 0, 0, false],
    ['Never does not restart after failure', pod('Never'), 1, 0, false],
    ['on-failure:3 restarts while fewer than 3 restarts happened', pod('OnFailure', { [Annotations.maxRestarts]: '3' }), 1, 2, true],
    ['on-failure:3 stops after 3 restarts', pod('OnFailure', { [Annotations.maxRestarts]: '3' }), 1, 3, false],
    ['max-restarts also caps Always', pod('Always', { [Annotations.maxRestarts]: '1' }), 0, 1, false],
    ['max-restarts 0 means no limit (Docker on-failure:0)', pod('OnFailure', { [Annotations.maxRestarts]: '0' }), 1, 1000, true],
    ['a malformed max-restarts is ignored', pod('OnFailure', { [Annotations.maxRestarts]: 'three' }), 1, 1000, true],
    ['a user stop keeps Always down', pod('Always', { [Annotations.runState]: 'stopped' }), 143, 0, false],
    ['a user stop keeps OnFailure down after a failure', pod('OnFailure', { [Annotations.runState]: 'stopped' }), 1, 0, false],
    ['another run-state does not stop restarts', pod('Always', { [Annotations.runState]: 'running' }), 0, 0, true],
  ];
  for (const [what, p, exitCode, restarts, want] of cases) {
    test(what, () => assert.equal(shouldRestart(p, exitCode, restarts), want));
  }
});
