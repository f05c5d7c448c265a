import type { ImportedImage } from './formats.js';
import { blobsOf } from './gc.js';
import type { StoredImage } from './index-file.js';

/** The index after an import, and the blobs that replaced records no longer hold. */
export interface Merged {
  images: StoredImage[];
  /** The imported images as now stored (names merged). */
  imported: StoredImage[];
  released: string[];
}

/**
 * Adds imported images to the index. Images are keyed by ID (config digest), as in Docker; a name
 * belongs to one image, so it moves from an older image, which stays (unnamed) until removed by ID.
 */
export function mergeImported(current: StoredImage[], imported: ImportedImage[]): Merged {
  let next = [...current];
  const released: string[] = [];
  const ids: string[] = [];
  for (const img of imported) {
    next = next.map((i) => ({ ...i, names: i.names.filter((n) => !img.names.includes(n)) }));
    const existing = next.find((i) => i.id === img.configDigest);
    if (existing) released.push(...blobsOf(existing));
    const record: StoredImage = {
      names: [...new Set([...(existing?.names ?? []), ...img.names])],
      digest: img.manifestDigest,
      id: img.configDigest,
      sizeBytes: img.layers.reduce((n, l) => n + l.unpackedSize, 0),
      architecture: img.config.architecture,
      os: img.config.os,
      config: img.config.config,
      diffIds: img.config.diffIds,
      layers: img.layers,
    };
    if (img.config.created) record.createdAt = img.config.created;
    next = existing ? next.map((i) => (i === existing ? record : i)) : [...next, record];
    ids.push(record.id);
  }
  const byId = new Map(next.map((i) => [i.id, i]));
  return { images: next, imported: [...new Set(ids)].map((id) => byId.get(id) as StoredImage), released };
}
