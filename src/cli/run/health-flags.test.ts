import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../args.js';
import { runSpec } from './flags.js';
import { buildRunPod } from './pod.js';
import { HEALTHCHECK_ANNOTATION } from '../../api/healthcheck.js';

const annotation = (...argv: string[]): unknown => {
  const raw = buildRunPod(parseArgs(runSpec, [...argv, 'img']), { env: {}, cwd: '/', readFile: () => '' }).metadata.annotations?.[HEALTHCHECK_ANNOTATION];
  return raw === undefined ? undefined : JSON.parse(raw);
};

describe('lcctl run --health-* flags', () => {
  test('no flag: the image decides (no annotation)', () => assert.equal(annotation(), undefined));

  test('--health-cmd and timings in Docker\'s container config shape (nanoseconds)', () => {
    assert.deepEqual(annotation('--health-cmd', 'curl -f localhost', '--health-interval', '2s', '--health-timeout', '1s', '--health-retries', '5', '--health-start-period', '1m'),
      { Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 2e9, Timeout: 1e9, StartPeriod: 60e9, Retries: 5 });
    assert.deepEqual(annotation('--health-interval', '3s'), { Interval: 3e9 });
  });

  test('--no-healthcheck disables the image\'s check and conflicts with --health-*', () => {
    assert.deepEqual(annotation('--no-healthcheck'), { Test: ['NONE'] });
    assert.throws(() => annotation('--no-healthcheck', '--health-cmd', 'x'), /--no-healthcheck conflicts with --health-\* options/);
    assert.throws(() => annotation('--health-interval', '10'), /invalid argument "10" for "--health-interval"/);
    assert.throws(() => annotation('--health-retries', '-1'), /--health-retries cannot be negative/);
  });
});
