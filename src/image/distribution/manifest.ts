import { ApiError } from '../../api/errors.js';
import { isDigest, sha256 } from '../digest.js';
import { MediaType, asArray, asObject, parseDescriptor, parseJson, type Descriptor } from '../formats.js';
import { nodePlatform, platformMatches, platformString, type Platform } from '../platform.js';
import { repoScope, type RegistryClient } from './registry.js';

/** Every manifest kind the store can use, so the registry never down-converts to schema 1. */
export const manifestAccept = [MediaType.ociManifest, MediaType.ociIndex, MediaType.dockerManifest, MediaType.dockerManifestList].join(', ');

/** A manifest or index as the registry sent it: the exact bytes (pushed back byte-identical). */
export interface FetchedManifest {
  bytes: Buffer;
  digest: string;
  mediaType: string;
  doc: Record<string, unknown>;
}

/** An image manifest's blobs. */
export interface ImageManifest {
  config: Descriptor;
  layers: Descriptor[];
}

/** GETs /v2/REPO/manifests/REFERENCE; a digest reference is checked against the bytes. */
export async function fetchManifest(client: RegistryClient, repo: string, reference: string): Promise<FetchedManifest> {
  const what = `manifest ${repo}:${reference}`;
  const res = await client.call(`/v2/${repo}/manifests/${reference}`, { headers: { accept: manifestAccept }, scopes: [repoScope(repo, 'pull')] }, `fetching ${what}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const digest = sha256(bytes);
  if (isDigest(reference) && digest !== reference) {
    throw new ApiError('BadRequest', `${what} from registry ${client.host} hashes to ${digest}: the registry sent the wrong content`);
  }
  const doc = asObject(parseJson(bytes, what), what);
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : contentType;
  if (doc.schemaVersion === 1 || /^application\/vnd\.docker\.distribution\.manifest\.v1/.test(mediaType)) {
    throw new ApiError('BadRequest', `${what} is a Docker schema 1 manifest, which Lantern does not support; push the image again with a current tool`);
  }
  return { bytes, digest, mediaType: mediaType || (Array.isArray(doc.manifests) ? MediaType.ociIndex : MediaType.ociManifest), doc };
}

/** Whether a fetched document is an image index / manifest list. */
export function isIndex(m: FetchedManifest): boolean {
  return Array.isArray(m.doc.manifests);
}

/** The config and layers of an image manifest. */
export function imageManifest(doc: Record<string, unknown>, what: string): ImageManifest {
  return {
    config: parseDescriptor(doc.config, `${what}: config`),
    layers: asArray(doc.layers, `${what}: layers`).map((d, i) => parseDescriptor(d, `${what}: layers[${i}]`)),
  };
}

/**
 * Picks the manifest for a platform from an index, skipping BuildKit attestations; the error lists
 * the platforms the index offers.
 */
export function selectPlatform(doc: Record<string, unknown>, want: Platform, what: string): Descriptor {
  const all = asArray(doc.manifests, `${what}: manifests`).map((d, i) => parseDescriptor(d, `${what}: manifests[${i}]`));
  const images = all.filter((d) => d.annotations['vnd.docker.reference.type'] !== 'attestation-manifest' && d.platform?.os !== 'unknown');
  const exact = images.find((d) => d.platform && platformMatches(d.platform, want) && (!want.variant || d.platform.variant === want.variant));
  const match = exact ?? images.find((d) => d.platform && platformMatches(d.platform, want))
    ?? olderArm(images, want)
    ?? (images.length === 1 && !images[0]?.platform ? images[0] : undefined);
  if (match) return match;
  const offered = [...new Set(images.map((d) => (d.platform ? platformString(d.platform) : 'unspecified')))].join(', ');
  throw new ApiError('NotFound', `${what} has no image for platform ${platformString(want)} (available: ${offered || 'none'}); choose one with --platform`);
}

/** An arm/v7 node also runs arm/v6 and arm/v5 images (as containerd allows): the newest lower variant. */
function olderArm(images: Descriptor[], want: Platform): Descriptor | undefined {
  const n = want.architecture === 'arm' ? Number(want.variant?.slice(1)) : NaN;
  if (!Number.isInteger(n)) return undefined;
  for (let v = n - 1; v >= 5; v--) {
    const d = images.find((i) => i.platform?.os === want.os && i.platform.architecture === 'arm' && i.platform.variant === `v${v}`);
    if (d) return d;
  }
  return undefined;
}

/** This node's platform for pulls: on 32-bit arm with the variant Node was built for (linux/arm/v7). */
export function pullPlatform(): Platform {
  const p = nodePlatform();
  if (p.architecture === 'arm') p.variant = `v${(process.config.variables as { arm_version?: string }).arm_version ?? '7'}`;
  return p;
}

/** Parses "linux/arm64", "linux/arm/v7"; "arm64" alone means linux/arm64. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length === 1) parts.unshift('linux');
  const [os, architecture, variant] = parts;
  if (!os || !architecture || parts.length > 3 || !/^[a-z0-9_]+$/.test(os) || !/^[a-z0-9_]+$/.test(architecture)) {
    throw new ApiError('BadRequest', `invalid platform "${text}": use os/arch[/variant], e.g. linux/amd64 or linux/arm/v7`);
  }
  const p: Platform = { os, architecture: architecture === 'x86_64' ? 'amd64' : architecture === 'aarch64' ? 'arm64' : architecture };
  if (variant) p.variant = variant;
  return p;
}
