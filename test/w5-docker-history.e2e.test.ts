/**
 * `docker history` through lanternd's --docker-socket against Docker Engine with the same image: the
 * top row names the same image ID on both; Lantern's rows are its layers (it keeps no build steps).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { importBusybox } from './harness/pods.js';
import { PrivateDocker } from './harness/dockerd.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lantern-w5-hist-'));
const sock = path.join(dir, 'docker.sock');
const server = new TestServer(['--docker-socket', sock]);
const engine = new PrivateDocker();
const lantern = (args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync('docker', ['-H', `unix://${sock}`, ...args], { encoding: 'utf8', env: { ...process.env, DOCKER_CONFIG: path.join(dir, 'client'), DOCKER_CLI_HINTS: 'false' }, timeout: 60_000 });

before(async () => {
  await server.start();
  await importBusybox(server, busyboxArchive());
  await server.until('the Docker socket', async () => /serving the Docker Engine API/.test(server.logs));
  await engine.start();
  engine.must(['load', '-i', busyboxArchive()]);
});
after(async () => {
  await engine.stop();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('docker history: the top row is the image (same ID as Docker Engine); an unknown image is an error', () => {
  const format = ['history', '--no-trunc', '--format', '{{.ID}}', 'busybox:latest'];
  const l = lantern(format);
  const d = engine.cli(format);
  assert.equal(l.status, 0, l.stderr);
  assert.equal(d.code, 0, d.stderr);
  const top = (out: string): string => out.split('\n')[0]!;
  assert.equal(top(l.stdout), top(d.stdout));
  assert.match(top(l.stdout), /^sha256:[0-9a-f]{64}$/);
  const layers = lantern(['image', 'inspect', '--format', '{{len .RootFS.Layers}}', 'busybox:latest']);
  assert.equal(l.stdout.trim().split('\n').length, Number(layers.stdout.trim()));
  const table = lantern(['history', 'busybox:latest']);
  assert.match(table.stdout, /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/m);
  const missing = lantern(['history', 'w5-no-such-image']);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /No such image/i);
});
