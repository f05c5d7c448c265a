/**
 * Registry garbage collection, as `registry garbage-collect` does offline but safe online: mark every
 * blob a stored manifest references (an image manifest's config and layers, an index's child
 * manifests, and the manifests themselves), then delete the blobs nobody marked that are older than
 * the grace period (a push uploads its blobs before its manifest; the grace keeps them meanwhile) and
 * the repositories' links to them. Runs under RegistryStorage.exclusive, so no manifest is written
 * between the mark and the sweep.
 */
import { parseManifest } from './manifest.js';
import type { RegistryStorage } from './storage.js';

/** Settings of one collection. */
export interface RegistryGcOptions {
  /** Unreferenced blobs younger than this are kept (an upload whose manifest is still to come). */
  graceMs: number;
  now?: number;
}

/** What a collection deleted. */
export interface RegistryGcResult { deletedBlobs: number; reclaimedBytes: number; unlinked: number }

/** Delete the blobs no manifest references (see the file comment). */
export function collectRegistryGarbage(storage: RegistryStorage, opts: RegistryGcOptions): Promise<RegistryGcResult> {
  return storage.exclusive(async () => {
    const now = opts.now ?? Date.now();
    const repositories = await storage.repositories();
    const marked = new Set<string>();
    for (const repo of repositories) {
      for (const d of await storage.manifestDigests(repo)) {
        marked.add(d.text);
        const m = await storage.getManifest(repo, d);
        if (!m) continue;
        let refs;
        // A manifest stored by this registry parsed when it was pushed; one that no longer does keeps
        // nothing but itself alive, which is what it can still serve.
        try { refs = parseManifest(m.bytes, m.mediaType); } catch { continue; }
        for (const b of [...refs.blobs, ...refs.manifests]) marked.add(b.text);
      }
    }
    const result: RegistryGcResult = { deletedBlobs: 0, reclaimedBytes: 0, unlinked: 0 };
    const deleted = new Set<string>();
    for (const b of await storage.blobs()) {
      if (marked.has(b.digest.text) || now - b.mtimeMs < opts.graceMs) continue;
      await storage.removeBlob(b.digest);
      deleted.add(b.digest.text);
      result.deletedBlobs++;
      result.reclaimedBytes += b.size;
    }
    if (deleted.size > 0) {
      for (const repo of repositories) {
        for (const d of await storage.linkedBlobs(repo)) {
          if (deleted.has(d.text) && await storage.unlinkBlob(repo, d)) result.unlinked++;
        }
      }
    }
    return result;
  });
}
