import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

/**
 * `lcctl build -t 'BAD TAG'` used to run every step and fail only when the image was named. The RUN
 * step's result is the marker: a step that ran is in the build cache, so the good build afterwards
 * would say "Using cache" for it.
 */
describe('a bad build tag fails before any build step runs', { timeout: 180_000 }, () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-build-tag-'));
  const marker = randomBytes(8).toString('hex');

  before(async () => {
    await server.start();
    await cli.importBusybox();
    writeFileSync(path.join(dir, 'Dockerfile'), `FROM busybox\nRUN echo ${marker} > /marker && sleep 2\n`);
  });
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  test('lcctl refuses each bad -t with Docker\'s message, before sending the context', async () => {
    const bad = await cli.expect(125, ['build', '-t', 'BAD TAG', dir]);
    assert.match(bad.stderr, /invalid tag "BAD TAG": invalid reference format: repository name \(library\/BAD TAG\) must be lowercase/);
    assert.equal(bad.stdout, '', 'no "Sending build context", no step output');
    const upper = await cli.expect(125, ['build', '-t', 'ok:1', '-t', 'Team/App:1', dir]);
    assert.match(upper.stderr, /invalid tag "Team\/App:1": invalid reference format: repository name \(App\) must be lowercase/);
    assert.equal(upper.stdout, '');
  });

  test('the server answers 400 for a bad tag from any client, before it reads the context', async () => {
    const tar = spawnSync('tar', ['-cf', '-', '-C', dir, '.']).stdout;
    const res = await fetch(`${server.url}/apis/lantern.dev/v1/images/build?tag=${encodeURIComponent('bad tag')}&dockerfile=Dockerfile`, {
      method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/x-tar' }, body: tar,
    });
    assert.equal(res.status, 400);
    const body = await res.json() as { reason: string; message: string };
    assert.equal(body.reason, 'BadRequest');
    assert.equal(body.message, 'invalid tag "bad tag": invalid reference format');
  });

  test('no step ran: the good build afterwards runs its RUN step (nothing cached) and the image holds the marker', async () => {
    const out = await cli.ok(['build', '-t', 'good:1', dir]);
    assert.match(out, /Step 2\/2 : RUN echo/);
    assert.doesNotMatch(out, /Using cache/, out);
    assert.equal(await cli.ok(['run', '--rm', 'good:1', 'cat', '/marker']), `${marker}\n`);
  });
});
