import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mountedLowerDirs } from '../host/mountinfo.js';
import { hexOf, isDigest } from './digest.js';
import type { StoredImage } from './index-file.js';
import type { StoreLayout } from './layout.js';

/** What a collection deleted. */
export interface GcResult {
  /** Blob digests removed. */
  blobs: string[];
  /** Snapshot diff IDs removed. */
  snapshots: string[];
  /** Bytes freed: blob files, plus the unpacked size of snapshots whose size the caller knew. */
  reclaimedBytes: number;
}

/** Decides whether a snapshot's fs dir is a lower dir of a live container. */
export type InUseHook = (snapshotDir: string) => boolean | Promise<boolean>;

/** Inputs to one collection; `candidates` limits it to what one removal released (undefined = full scan). */
export interface GcInput {
  layout: StoreLayout;
  images: StoredImage[];
  /** Digests that in-flight imports hold on to. */
  pinned: (digest: string) => boolean;
  inUse?: InUseHook;
  /** What to look at; a kind left out is scanned whole (blobs/ or snapshots/). */
  candidates?: { blobs?: string[]; diffIds?: string[] };
  /** Unpacked sizes of snapshots, by diff ID, for reclaimedBytes. */
  snapshotSizes?: Map<string, number>;
  /** Overlay lower dirs mounted now (default: read /proc/self/mountinfo); such snapshots are never deleted. */
  mountedLowerDirs?: () => Promise<Set<string>>;
}

/** Blob digests an image keeps alive: manifest, config and layers. */
export function blobsOf(image: StoredImage): string[] {
  return [image.digest, image.id, ...image.layers.map((l) => l.digest)];
}

/** Deletes blobs and snapshots no image references, skipping pinned ones and snapshots in use. */
export async function collectGarbage(input: GcInput): Promise<GcResult> {
  const { layout, images, pinned, inUse } = input;
  const liveBlobs = new Set(images.flatMap(blobsOf));
  const liveSnaps = new Set(images.flatMap((i) => i.diffIds));
  const blobs = input.candidates?.blobs ?? (await listDigests(layout.blobsDir));
  const diffIds = input.candidates?.diffIds ?? (await listDigests(layout.snapshotsDir));
  const out: GcResult = { blobs: [], snapshots: [], reclaimedBytes: 0 };
  for (const d of new Set(blobs)) {
    if (liveBlobs.has(d) || pinned(d)) continue;
    const size = await stat(layout.blob(d)).then((s) => s.size, () => undefined);
    if (size === undefined) continue;
    await rm(layout.blob(d), { force: true });
    out.blobs.push(d);
    out.reclaimedBytes += size;
  }
  const dead = [...new Set(diffIds)].filter((d) => !liveSnaps.has(d) && !pinned(d));
  // The hook knows containers by their image; a mounted overlay is the ground truth even when the image is gone.
  const mounted = dead.length > 0 ? await (input.mountedLowerDirs ?? mountedLowerDirs)() : new Set<string>();
  for (const d of dead) {
    const fs = layout.snapshotFs(d);
    if (mounted.has(fs) || mounted.has(`${hexOf(d)}/fs`)) continue;
    if (inUse && (await inUse(fs))) continue;
    if (await removeSnapshot(layout, d)) {
      out.snapshots.push(d);
      out.reclaimedBytes += input.snapshotSizes?.get(d) ?? 0;
    }
  }
  return out;
}

/** Renames first so a crash mid-delete never leaves a partial tree under the snapshot's real name. */
async function removeSnapshot(layout: StoreLayout, diffId: string): Promise<boolean> {
  const trash = join(layout.snapshotsDir, `.trash-${randomBytes(8).toString('hex')}`);
  try {
    await rename(layout.snapshot(diffId), trash);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  await rm(trash, { recursive: true, force: true });
  return true;
}

async function listDigests(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.map((n) => `sha256:${n}`).filter(isDigest);
}
