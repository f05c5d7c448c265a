import { ApiError } from '../api/errors.js';
import { hexOf } from './digest.js';
import type { StoredImage } from './index-file.js';
import { formatReference, parseReference, repository, type ImageReference } from './reference.js';
import type { ImageRecord } from './types.js';

/** How a reference matched: by one of its names, or by identity (ID, ID prefix, repo@digest). */
export type Match =
  | { image: StoredImage; by: 'name'; name: string }
  | { image: StoredImage; by: 'id' | 'digest' };

/**
 * Finds an image the way Docker does: a full ID first, then a name (tag or repo@digest), then a
 * unique ID prefix of at least 4 hex digits. Throws for ambiguous prefixes and malformed names.
 */
export function findImage(images: StoredImage[], ref: string): Match | undefined {
  const s = ref.trim();
  const hex = s.startsWith('sha256:') ? s.slice('sha256:'.length) : s;
  const idLike = /^[a-f0-9]{4,64}$/.test(hex);
  if (hex.length === 64 && idLike) {
    const image = images.find((i) => i.id === `sha256:${hex}`);
    if (image) return { image, by: 'id' };
  }
  let parsed: ImageReference | undefined;
  let parseError: Error | undefined;
  if (!s.startsWith('sha256:')) {
    try { parsed = parseReference(s); } catch (e) { parseError = e as Error; }
  }
  if (parsed?.digest) {
    const want = repository(parsed);
    const image = images.find((i) => i.digest === parsed.digest && (i.names.length === 0 || i.names.some((n) => repoOf(n) === want)));
    if (image) return { image, by: 'digest' };
  } else if (parsed) {
    const name = formatReference(parsed);
    const image = images.find((i) => i.names.includes(name));
    if (image) return { image, by: 'name', name };
  }
  if (idLike) {
    const hits = images.filter((i) => hexOf(i.id).startsWith(hex));
    if (hits.length === 1 && hits[0]) return { image: hits[0], by: 'id' };
    if (hits.length > 1) {
      throw new ApiError('BadRequest', `image ID prefix "${hex}" matches ${hits.length} images (${hits.map((i) => hexOf(i.id).slice(0, 12)).join(', ')}); give more digits`);
    }
  }
  if (parseError && !idLike) throw parseError;
  return undefined;
}

/** The public record of a stored image (a copy, so callers cannot change the store). */
export function toRecord(image: StoredImage): ImageRecord {
  const r: ImageRecord = {
    names: [...image.names],
    digest: image.digest,
    id: image.id,
    sizeBytes: image.sizeBytes,
    architecture: image.architecture,
    os: image.os,
    config: structuredClone(image.config),
    diffIds: [...image.diffIds],
  };
  if (image.createdAt) r.createdAt = image.createdAt;
  return r;
}

function repoOf(name: string): string {
  return repository(parseReference(name));
}
