import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openImageStore } from '../src/image/index.js';
import { TestServer, busyboxArchive, lanterndBin, sweepHost } from './harness/lanternd.js';
import { waitNodeReady, stopRemoteAgent } from './harness/remote-nodes.js';

describe("save, image inspect and image prune of a remote agent's images go through its tunnel", { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent'], { https: true });
  const root = mkdtempSync(path.join(tmpdir(), 'lantern-e2e-save-tunnel-'));
  const agentDir = path.join(root, 'agent');
  const bridge = `lt${randomBytes(3).toString('hex')}`;
  const n = (process.pid * 17 + 11) % 12800;
  const subnet = `10.${150 + Math.floor(n / 256)}.${n % 256}.0/24`;
  const busyboxId = `sha256:${(JSON.parse(spawnSync('tar', ['-xOf', busyboxArchive(), 'manifest.json'], { encoding: 'utf8' }).stdout) as { Config: string }[])[0]!.Config.split('/').at(-1)!}`;
  let agent: ChildProcess | undefined;
  let agentLog = '';

  before(async () => {
    await server.start();
    const joinToken = readFileSync(path.join(server.dataDir, 'node-token'), 'utf8').trim();
    await (await openImageStore(path.join(agentDir, 'images'))).importArchive(busyboxArchive());
    agent = spawn(lanterndBin, ['agent', '--server', server.url, '--token', joinToken, '--data-dir', agentDir,
      '--bridge', bridge, '--pod-subnet', subnet, '--node-name', 'edge-s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout!.on('data', (d: Buffer) => { agentLog += d.toString(); });
    agent.stderr!.on('data', (d: Buffer) => { agentLog += d.toString(); });
    await waitNodeReady(server, 'edge-s', () => agentLog);
    await server.until(`the tunnel is up (agent log: ${agentLog})`, async () => (await server.lcctl(['images', '-q'])).stdout.trim() !== '', 30_000);
  });

  after(async () => {
    await stopRemoteAgent(server, agent);
    sweepHost(root, bridge);
    rmSync(root, { recursive: true, force: true });
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
