import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerConfig, ContainerInfo } from '../types.js';
import { removeCgroupTree } from './cgroups.js';
import { runCommand, sleep } from './proc.js';
import { unmountUnder } from '../../host/overlay.js';
import { RuncRuntime } from './runtime.js';
import { eventually } from '../../testing/eventually.js';

/** Test support only: a busybox rootfs, a private state dir and cgroup parent, and thorough cleanup. */
export interface TestEnv {
  dir: string;
  stateDir: string;
  cgroupParent: string;
  layer: string;
  runtime: RuncRuntime;
  /** A second runtime object over the same state (what the agent gets after a restart). */
  reopen(): RuncRuntime;
  config(overrides?: Partial<ContainerConfig>): ContainerConfig;
  cleanup(): Promise<void>;
}

/** Builds a minimal image layer from the host's static busybox. */
export async function makeBusyboxLayer(dir: string): Promise<void> {
  for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'root', 'data']) await mkdir(join(dir, d), { recursive: true });
  await copyFile('/bin/busybox', join(dir, 'bin', 'busybox'));
  const list = await runCommand('/bin/busybox', ['--list']);
  for (const applet of list.stdout.split('\n').map((s) => s.trim())) {
    if (applet && applet !== 'busybox') await symlink('busybox', join(dir, 'bin', applet)).catch(() => undefined);
  }
  await writeFile(join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n');
  await writeFile(join(dir, 'etc', 'group'), 'root:x:0:\ntty:x:5:\nnobody:x:65534:\n');
}

/** A fresh environment; call cleanup() in after(). */
export async function makeTestEnv(name: string): Promise<TestEnv> {
  const dir = await mkdtemp(join(tmpdir(), `lrt-${name}-`));
  const stateDir = join(dir, 'state');
  const layer = join(dir, 'layer');
  await makeBusyboxLayer(layer);
  const cgroupParent = `lantern-test-${name}-${randomBytes(3).toString('hex')}`;
  const runtime = new RuncRuntime({ stateDir, cgroupParent });
  const env: TestEnv = {
    dir, stateDir, cgroupParent, layer, runtime,
    reopen: () => new RuncRuntime({ stateDir, cgroupParent }),
    config: (o = {}) => ({
      id: randomBytes(32).toString('hex'), name: `${name}-ctr`, rootfsLayers: [layer], args: ['true'], env: [],
      cwd: '/', user: { uid: 0, gid: 0 }, netns: 'host', mounts: [], resources: {}, labels: {}, ...o,
    }),
    cleanup: async () => {
      for (const c of await runtime.list().catch(() => [])) await runtime.remove(c.id).catch(() => undefined);
      await removeCgroupTree(`/${cgroupParent}`);
      await unmountUnder(dir).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return env;
}

/** Polls inspect until the container has stopped (the guard timeout is a safety net, not an assertion). */
export async function waitStopped(rt: RuncRuntime, id: string, timeoutMs = 60_000): Promise<ContainerInfo> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) {
    const info = await rt.inspect(id);
    if (info?.status === 'stopped') return info;
  }
  throw new Error(`container ${id} did not stop within ${timeoutMs / 1000}s`);
}

/** Polls until check() is true (the test kit's eventually, every 100 ms). */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  await eventually(what, check, { timeoutMs, intervalMs: 100 });
}

/** Reads a whole stream into a string. */
export async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}
