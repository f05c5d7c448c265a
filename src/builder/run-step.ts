/**
 * RUN: one container over the step rootfs, through the node's ContainerRuntime, in the step's network
 * (step-network.ts: the node's pod network by default), with the stage's env, workdir and user. Its
 * output is followed in the runtime's log as it comes.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CriLogTail, criLineText } from '../runtime/cri-log.js';
import type { ContainerInfo, ContainerRuntime } from '../runtime/types.js';
import { resolveUserIn, scopedPath } from './rootfs-paths.js';
import { withStepNetwork, type BuildNetwork } from './step-network.js';

/** Label of the builder's containers, so recovery removes only those. */
export const BUILD_LABEL = 'lantern.build.step';

/** What one RUN needs. */
export interface RunStep {
  id: string;
  argv: string[];
  env: string[];
  cwd: string;
  user: string;
  /** The mounted step rootfs and its upper dir. */
  rootfs: string;
  upper: string;
  runtime: ContainerRuntime;
  /** What the step is attached to (--network). */
  network: BuildNetwork;
  output: (text: string) => void;
}

/** Paths the runtime may create as mount points; they are dropped from the diff when the step did not have them. */
const MOUNT_POINTS = ['proc', 'sys', 'dev', 'etc/hosts', 'etc/hostname', 'etc/resolv.conf'];

/** How often the log is read while the step runs. */
const FOLLOW_MS = 50;

/** Runs the step's command; resolves with its exit code. */
export async function runStep(s: RunStep): Promise<number> {
  let user: { uid: number; gid: number };
  try {
    user = await resolveUserIn(s.rootfs, s.user);
  } catch (e) {
    throw new Error(`USER ${s.user}: ${(e as Error).message}`);
  }
  const cwd = await scopedPath(s.rootfs, s.cwd);
  if (!existsSync(cwd)) await mkdir(cwd, { recursive: true, mode: 0o755 });
  const missing = new Set<string>();
  for (const p of [...MOUNT_POINTS, 'etc']) if (!(await lstat(join(s.rootfs, p)).catch(() => undefined))) missing.add(p);
  const hostname = s.id.slice(0, 12);
  let stopped = false;
  // The container goes before its network: the network's teardown waits for the step's removal.
  return withStepNetwork(s.network, s.id, async (netns) => {
    try {
      const created = await s.runtime.create({
        id: s.id, name: `build-${hostname}`, rootfsLayers: [], rootfsPath: s.rootfs, args: s.argv, env: s.env, cwd: s.cwd || '/', user,
        hostname, netns, mounts: [], resources: {}, labels: { [BUILD_LABEL]: 'true' },
      });
      await s.runtime.start(s.id);
      const info = await follow(s.runtime, s.id, created.logPath, s.output);
      stopped = true;
      return info.exitCode ?? 1;
    } finally {
      // Only a step that failed half-way still runs: one that ended needs no stop (a runc call saved per RUN).
      if (!stopped) await s.runtime.stop(s.id, 0).catch(() => undefined);
      await s.runtime.remove(s.id);
      await dropMountPoints(s.upper, missing);
    }
  });
}

/** Passes the container's output on while it runs; resolves once it has stopped and its log is read to the end. */
async function follow(runtime: ContainerRuntime, id: string, logPath: string, output: (text: string) => void): Promise<ContainerInfo> {
  const tail = new CriLogTail(logPath);
  const pass = async (): Promise<void> => { for (const line of await tail.read()) output(criLineText(line)); };
  const settled = runtime.wait(id).then((info) => ({ info }), (error: unknown) => ({ error }));
  for (;;) {
    await pass();
    const r = await Promise.race([settled, new Promise<undefined>((resolve) => setTimeout(resolve, FOLLOW_MS))]);
    if (!r) continue;
    await pass();
    if ('error' in r) throw r.error;
    return r.info;
  }
}

/** Removes mount points the runtime created (empty dirs/files the image did not have) from the diff. */
async function dropMountPoints(upper: string, missing: Set<string>): Promise<void> {
  for (const p of MOUNT_POINTS) {
    if (!missing.has(p)) continue;
    const full = join(upper, p);
    const st = await lstat(full).catch(() => undefined);
    if (!st) continue;
    if ((st.isFile() && st.size === 0) || (st.isDirectory() && (await readdir(full)).length === 0)) await rm(full, { recursive: true, force: true });
  }
  if (missing.has('etc')) {
    const etc = join(upper, 'etc');
    if ((await readdir(etc).catch(() => ['x'])).length === 0) await rm(etc, { recursive: true, force: true });
  }
}
