import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openImageStore } from '../src/image/index.js';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';

describe("save, image inspect and image prune of a remote agent's images go through its tunnel", { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent'], { https: true });
  const agent = new RemoteAgent(server, 'edge-s');
  /** Scratch files go in the agent's temp dir, removed with it. */
  const root = agent.root;
  const busyboxId = `sha256:${(JSON.parse(spawnSync('tar', ['-xOf', busyboxArchive(), 'manifest.json'], { encoding: 'utf8' }).stdout) as { Config: string }[])[0]!.Config.split('/').at(-1)!}`;

  before(async () => {
    await server.start();
    await agent.start();
    await server.until(`the tunnel is up (agent log: ${agent.log})`, async () => (await server.lcctl(['images', '-q'])).stdout.trim() !== '', 30_000);
  });

  after(async () => {
    await agent.remove();
    await server.stop();
  });

  test('save streams the archive from the remote node; it imports to the same image', async () => {
    const file = path.join(root, 'remote.tar');
    const r = await server.lcctl(['save', '-o', file, 'busybox']);
    assert.equal(r.code, 0, r.stderr);
    const [img] = await (await openImageStore(path.join(root, 'check'))).importArchive(file);
    assert.equal(img?.id, busyboxId);
    assert.deepEqual(img?.names, ['docker.io/library/busybox:latest']);
    const missing = await server.lcctl(['save', '-o', path.join(root, 'none.tar'), 'nope:1']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No such image: nope:1/);
    assert.equal(existsSync(path.join(root, 'none.tar')), false);
  });

  test('image inspect and image prune answer from the remote node', async () => {
    const inspect = await server.lcctl(['image', 'inspect', '-f', '{{.Id}} {{.Node}}', 'busybox']);
    assert.equal(inspect.stdout, `${busyboxId} edge-s\n`, inspect.stderr);
    const prune = await server.lcctl(['image', 'prune', '-f']);
    assert.equal(prune.stdout, 'Total reclaimed space: 0B\n', prune.stderr);
  });
});
