import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from './pod.js';
import { HEALTH_CONDITION, healthCondition, healthSuffix, parseGoDuration, parseHealthConfig, podHealth, resolveHealth } from './healthcheck.js';

describe('Docker healthcheck config', () => {
  test('Go durations as Docker takes them', () => {
    assert.equal(parseGoDuration('30s', '--x'), 30e9);
    assert.equal(parseGoDuration('1m30s', '--x'), 90e9);
    assert.equal(parseGoDuration('500ms', '--x'), 500e6);
    assert.equal(parseGoDuration('0', '--x'), 0);
    assert.throws(() => parseGoDuration('5', '--health-interval'), /invalid argument "5" for "--health-interval": a duration such as 30s/);
    assert.throws(() => parseGoDuration('5sx', '--x'), /invalid argument/);
  });

  test('Docker\'s defaults (30s, 30s, 0s, 3) and CMD-SHELL through /bin/sh -c', () => {
    assert.deepEqual(resolveHealth(undefined, { Test: ['CMD-SHELL', 'curl -f localhost'] }),
      { command: ['/bin/sh', '-c', 'curl -f localhost'], intervalMs: 30000, timeoutMs: 30000, startPeriodMs: 0, retries: 3 });
    assert.deepEqual(resolveHealth(undefined, { Test: ['CMD', 'check', '--fast'], Interval: 5e9, Retries: 1 })?.command, ['check', '--fast']);
  });

  test('flags win field by field over the image; NONE or no test means no check', () => {
    const image = { Test: ['CMD', 'img'], Interval: 5e9, Timeout: 2e9 };
    assert.deepEqual(resolveHealth({ Interval: 1e9 }, image), { command: ['img'], intervalMs: 1000, timeoutMs: 2000, startPeriodMs: 0, retries: 3 });
    assert.deepEqual(resolveHealth({ Test: ['CMD-SHELL', 'mine'] }, image)?.command, ['/bin/sh', '-c', 'mine']);
    assert.equal(resolveHealth({ Test: ['NONE'] }, image), undefined);
    assert.equal(resolveHealth(undefined, { Test: ['NONE'] }), undefined);
    assert.equal(resolveHealth({ Interval: 1e9 }, undefined), undefined);
  });

  test('bad configs are refused with the field path', () => {
    assert.throws(() => parseHealthConfig({ Test: ['RUN', 'x'] }, 'hc'), /^Error: hc\.Test\[0\]: expected NONE, CMD or CMD-SHELL/);
    assert.throws(() => parseHealthConfig({ Test: ['CMD'] }, 'hc'), /hc\.Test: CMD needs a command/);
    assert.throws(() => parseHealthConfig({ Retries: -1 }, 'hc'), /hc\.Retries: expected a whole number/);
    assert.throws(() => parseHealthConfig('x', 'hc'), /hc: expected an object/);
  });

  test('the condition round-trips into ps\'s suffix', () => {
    const pod = (h: Parameters<typeof healthCondition>[0]): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] }, status: { conditions: [{ ...healthCondition(h), lastTransitionTime: '2026-01-01T00:00:00Z' }] } });
    assert.equal(healthSuffix(podHealth(pod({ status: 'healthy', failingStreak: 0 }))), ' (healthy)');
    assert.equal(healthSuffix(podHealth(pod({ status: 'starting', failingStreak: 0 }))), ' (health: starting)');
    assert.deepEqual(podHealth(pod({ status: 'unhealthy', failingStreak: 3, output: 'no\nway' })), { status: 'unhealthy', failingStreak: 3, output: 'no\nway' });
    assert.equal(healthCondition({ status: 'unhealthy', failingStreak: 3 }).type, HEALTH_CONDITION);
    assert.equal(healthSuffix(undefined), '');
  });
});
