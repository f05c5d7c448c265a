/**
 * The build cache on the node: cache key -> the state after that step, plus the layer blobs and
 * unpacked trees builds made. Key = parent image ID + expanded instruction + (COPY/ADD) content hash.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildState } from './image-config.js';

/** The cache key of a step. */
export function cacheKey(parentId: string, instruction: string, contentHash = ''): string {
  return createHash('sha256').update(`${parentId}\n${instruction}\n${contentHash}`).digest('hex');
}

/** The cache index and layer files under one directory. */
export class BuildCache {
  private entries: Record<string, BuildState> | undefined;

  constructor(readonly dir: string) {}

  /** Where a built layer's blob lives. */
  blobPath(digest: string): string { return join(this.dir, 'blobs', digest.replace(/^sha256:/, '')); }
  /** Where a built layer's unpacked tree (overlay form) lives. */
  layerFs(diffId: string): string { return join(this.dir, 'layers', diffId.replace(/^sha256:/, ''), 'fs'); }
  /** Scratch space for steps in flight. */
  get tmpDir(): string { return join(this.dir, 'tmp'); }

  /** The state a step produced before (the caller checks that its layers are still on disk). */
  async get(key: string): Promise<BuildState | undefined> {
    return (await this.load())[key];
  }

  /** Records a step's result. */
  async put(key: string, state: BuildState): Promise<void> {
    const all = await this.load();
    all[key] = state;
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, 'index.json');
    await writeFile(`${file}.tmp`, JSON.stringify(all));
    await rename(`${file}.tmp`, file);
  }

  private async load(): Promise<Record<string, BuildState>> {
    if (!this.entries) {
      const text = await readFile(join(this.dir, 'index.json'), 'utf8').catch(() => '{}');
      try { this.entries = JSON.parse(text) as Record<string, BuildState>; } catch { this.entries = {}; }
    }
    return this.entries;
  }
}
