import { RegistryError } from './errors.js';
import { parseDigest, type Digest } from './names.js';
import { BoundedParseError, parseJsonBounded } from '../api/bounded-parse.js';

/** Manifest media types this registry understands. */
export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

/** What a manifest needs present in its repository before it may be stored. */
export interface ManifestRefs { mediaType: string; blobs: Digest[]; manifests: Digest[] }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (why: string): RegistryError => new RegistryError('MANIFEST_INVALID', `manifest invalid: ${why}`);

function descriptors(doc: Record<string, unknown>, field: string): Record<string, unknown>[] {
  const v = doc[field];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every(isObject)) throw invalid(`"${field}" must be a list of descriptors`);
  return v;
}

function digestOf(d: Record<string, unknown>, where: string): Digest {
  if (typeof d.digest !== 'string') throw invalid(`${where} has no digest`);
  try { return parseDigest(d.digest); } catch { throw invalid(`${where} has an unsupported digest "${d.digest}" (only sha256 is accepted)`); }
}

/**
 * Parse a pushed manifest (OCI manifest/index, Docker schema2 manifest/list) and list the blobs and
 * child manifests it references. The media type is the body's `mediaType`, else the Content-Type.
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ManifestRefs {
  let doc: unknown;
  try { doc = parseJsonBounded(bytes.toString('utf8'), 'the manifest'); } catch (e) { throw invalid(e instanceof BoundedParseError ? e.message : `not JSON: ${(e as Error).message}`); }
  if (!isObject(doc)) throw invalid('not a JSON object');
  if (doc.schemaVersion !== 2) throw invalid(`schemaVersion ${JSON.stringify(doc.schemaVersion)} is not supported: push a schema 2 (OCI or Docker v2) manifest`);
  const header = contentType?.split(';')[0]?.trim();
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType
    : header && header !== 'application/json' && header !== 'application/octet-stream' ? header
    : Array.isArray(doc.manifests) ? MediaTypes.ociIndex : MediaTypes.ociManifest;
  const isIndex = mediaType === MediaTypes.ociIndex || mediaType === MediaTypes.dockerList || (Array.isArray(doc.manifests) && !isObject(doc.config));
  if (isIndex) {
    return { mediaType, blobs: [], manifests: descriptors(doc, 'manifests').map((d, i) => digestOf(d, `manifests[${i}]`)) };
  }
  if (!isObject(doc.config)) throw invalid('an image manifest needs a "config" descriptor');
  const blobs = [digestOf(doc.config, 'config')];
  descriptors(doc, 'layers').forEach((d, i) => {
    // Foreign layers (Windows base layers) live elsewhere: they are referenced by URL, not pushed.
    if (Array.isArray(d.urls) && d.urls.length > 0) return;
    blobs.push(digestOf(d, `layers[${i}]`));
  });
  return { mediaType, blobs, manifests: [] };
}
