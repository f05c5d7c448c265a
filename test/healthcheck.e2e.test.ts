/**
 * Docker's HEALTHCHECK end to end on runc: images built with `lcctl build` whose HEALTHCHECK passes or
 * fails, run with `lcctl run -d`, show (healthy) / (unhealthy) in `lcctl ps` as Docker does;
 * --no-healthcheck shows neither, and --health-cmd overrides the image's check.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli, rowNamed } from './harness/cli.js';
import type { Pod } from '../src/api/pod.js';
import { HEALTH_CONDITION } from '../src/api/healthcheck.js';

describe('image HEALTHCHECK honoured by lcctl run, shown by lcctl ps', { timeout: 240_000 }, () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's5b-health-'));
  const image = async (tag: string, healthcheck: string): Promise<void> => {
    const ctx = path.join(dir, tag);
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM busybox\n${healthcheck}\nCMD ["sleep", "3600"]\n`);
    await cli.ok(['build', '-t', `${tag}:1`, ctx]);
  };
  const status = async (name: string): Promise<string> => rowNamed(await cli.ok(['ps']), name) ?? '';

  before(async () => {
    await server.start();
    await cli.importBusybox();
    await image('hc-pass', 'HEALTHCHECK --interval=1s --timeout=5s CMD test -d /proc');
    await image('hc-fail', 'HEALTHCHECK --interval=1s --timeout=5s --retries=2 CMD ["sh", "-c", "echo not-ready; exit 1"]');
  });
  after(async () => { await server.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('a HEALTHCHECK that passes shows (healthy), and lcctl inspect carries the health condition', async () => {
    await cli.ok(['run', '-d', '--name', 'hc-good', 'hc-pass:1']);
    await server.until('hc-good is healthy', async () => /\bUp .*\(healthy\)/.test(await status('hc-good')));
    const [pod] = JSON.parse(await cli.ok(['inspect', 'hc-good'])) as Pod[];
    const cond = pod?.status?.conditions?.find((c) => c.type === HEALTH_CONDITION);
    assert.equal(cond?.status, 'True');
    assert.equal(cond?.reason, 'Healthy');
  });

  test('a HEALTHCHECK that fails shows (unhealthy) after its retries, and the container keeps running', async () => {
    await cli.ok(['run', '-d', '--name', 'hc-bad', 'hc-fail:1']);
    await server.until('hc-bad is unhealthy', async () => /\bUp .*\(unhealthy\)/.test(await status('hc-bad')));
    const [pod] = JSON.parse(await cli.ok(['inspect', 'hc-bad'])) as Pod[];
    const cond = pod?.status?.conditions?.find((c) => c.type === HEALTH_CONDITION);
    assert.equal(cond?.reason, 'Unhealthy');
    assert.match(cond?.message ?? '', /^FailingStreak=\d+: not-ready/);
  });

  test('--no-healthcheck shows neither; --health-cmd replaces the image\'s check', async () => {
    await cli.ok(['run', '-d', '--name', 'hc-none', '--no-healthcheck', 'hc-fail:1']);
    await cli.ok(['run', '-d', '--name', 'hc-flag', '--health-cmd', 'true', '--health-interval', '1s', 'hc-fail:1']);
    // hc-none started first, with the same 1s interval: had it a check, it would show one by now.
    await server.until('hc-flag is healthy', async () => /\(healthy\)/.test(await status('hc-flag')));
    const none = await status('hc-none');
    assert.match(none, /\bUp\b/);
    assert.doesNotMatch(none, /health/);
  });
});
