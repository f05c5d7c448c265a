/** What build steps share, and the cache/scratch/layer plumbing every step goes through. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCommand } from '../host/command.js';
import type { Snapshotter } from '../image/types.js';
import type { ContainerRuntime } from '../runtime/types.js';
import type { BuildCache } from './cache.js';
import { stateId, type BuildState, type LayerRef } from './image-config.js';
import { writeLayer } from './layer-diff.js';
import type { LayerSources } from './layers.js';
import { withStepRootfs } from './rootfs.js';
import type { BuildNetwork } from './step-network.js';

/** What steps share within one build. */
export interface StepEnv {
  file: string;
  contextDir: string;
  cache: BuildCache;
  layers: LayerSources;
  noCache: boolean;
  buildArgs: Record<string, string>;
  /** Global ARG defaults (before the first FROM), build args applied. */
  globalArgs: Map<string, string>;
  /** Build args some ARG declared (for the unused-arguments warning). */
  usedArgs: Set<string>;
  /** State of an earlier stage (by name or index) or undefined. */
  stageState: (ref: string) => BuildState | undefined;
  out: (text: string) => void;
  /** Runs RUN steps. */
  runtime: ContainerRuntime;
  /** What RUN steps are attached to (--network). */
  network: BuildNetwork;
  /** Prepares each step's rootfs. */
  snapshots: Snapshotter;
}

/** The mutable part of a stage being built. */
export interface StageRun {
  state: BuildState;
  args: Map<string, string>;
  /** A CMD came in this stage: a later ENTRYPOINT keeps it (otherwise it clears the inherited one). */
  cmdSet?: boolean;
}

export const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
/** Looks the key up (unless --no-cache), else makes the state and records it; prints the result. */
export async function cached(env: StepEnv, run: StageRun, key: string, make: () => Promise<BuildState>): Promise<void> {
  const entry = env.noCache ? undefined : await env.cache.get(key);
  // A hit whose layers were deleted since (store GC, a wiped cache dir) is built again.
  const hit = entry && (await Promise.all(entry.layers.map((l) => env.layers.available(l)))).every(Boolean) ? entry : undefined;
  if (hit) {
    env.out(' ---> Using cache\n');
    run.state = hit;
  } else {
    run.state = await make();
    await env.cache.put(key, run.state);
  }
  env.out(` ---> ${short(stateId(run.state))}\n`);
}

/** Docker's classic builder commits metadata steps through a container, and says so. */
export async function inContainer(env: StepEnv, make: (id: string) => Promise<BuildState>): Promise<BuildState> {
  const id = randomBytes(32).toString('hex');
  env.out(` ---> Running in ${id.slice(0, 12)}\n`);
  const state = await make(id);
  env.out(`Removing intermediate container ${id.slice(0, 12)}\n`);
  return state;
}

/** A scratch dir for one step, removed afterwards. */
export async function withScratch<T>(env: StepEnv, fn: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(env.cache.tmpDir, { recursive: true });
  const dir = await mkdtemp(join(env.cache.tmpDir, 'step-'));
  try { return await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

/** Turns an unmounted upper dir into a cached layer (blob + unpacked tree). */
async function commitLayer(env: StepEnv, upper: string, scratch: string): Promise<LayerRef> {
  const tmpBlob = join(scratch, 'layer.tar.gz');
  const l = await writeLayer(upper, tmpBlob);
  const blob = env.cache.blobPath(l.digest);
  await mkdir(dirname(blob), { recursive: true });
  await rename(tmpBlob, blob);
  const fs = env.cache.layerFs(l.diffId);
  if (!existsSync(fs)) {
    await mkdir(dirname(fs), { recursive: true });
    await moveTree(upper, fs);
  }
  return { diffId: l.diffId, digest: l.digest, size: l.size, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' };
}

/**
 * Moves a tree; where the image store (the snapshot's upper dir) and the build cache are on different
 * filesystems, `cp -a` copies it, keeping owners, modes, xattrs (opaque dirs) and devices (whiteouts).
 */
async function moveTree(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    const r = await runCommand('cp', ['-a', '--', from, `${to}.tmp`]);
    if (r.code !== 0) throw new Error(`cannot copy the layer into the build cache: ${r.stderr.trim()}`);
    await rename(`${to}.tmp`, to);
  }
}

/** Runs fn on a fresh snapshot of the stage; commits its upper dir as a layer when fn says so. */
export async function layerStep(env: StepEnv, run: StageRun, fn: (rootfs: string, upper: string, scratch: string) => Promise<boolean>): Promise<LayerRef | undefined> {
  return withScratch(env, async (scratch) => withStepRootfs(env.snapshots, await env.layers.fsDirs(run.state), async (r, unmount) => {
    const changed = await fn(r.rootfs, r.upper, scratch);
    return changed ? commitLayer(env, await unmount(), scratch) : undefined;
  }));
}
