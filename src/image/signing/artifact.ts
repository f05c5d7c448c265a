/**
 * The signature artifact cosign stores beside an image: an OCI image manifest tagged
 * `sha256-<hex>.sig` in the image's repository, one layer per signature, each layer a
 * simple-signing payload whose annotation `dev.cosignproject.cosign/signature` holds the signature.
 */
import { ApiError } from '../../api/errors.js';
import { sha256 } from '../digest.js';

/** The media type of a signature layer (cosign's; the payload JSON). */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
/** The layer annotation holding the base64 signature. */
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';

/** One signature layer of the artifact. */
export interface SignatureLayer {
  digest: string;
  size: number;
  /** The base64 signature; absent when the layer carries none (a malformed artifact). */
  signature?: string;
  annotations: Record<string, string>;
}

/** The tag cosign stores an image's signatures under ("sha256-<hex>.sig"). */
export function signatureTag(digest: string): string {
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new ApiError('BadRequest', `cannot name the signature tag of ${JSON.stringify(digest)}: not a sha256 digest`);
  return `${digest.replace(':', '-')}.sig`;
}

/** Reads the signature layers of a `.sig` manifest; anything not shaped as cosign's is an error. */
export function parseSignatureManifest(doc: Record<string, unknown>, what: string): SignatureLayer[] {
  if (!Array.isArray(doc.layers)) throw new ApiError('BadRequest', `${what} is not an image manifest with layers`);
  const out: SignatureLayer[] = [];
  doc.layers.forEach((l: unknown, i) => {
    const d = l as { mediaType?: unknown; digest?: unknown; size?: unknown; annotations?: unknown };
    if (d?.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) return; // other layers (attestations elsewhere) are not signatures
    if (typeof d.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(d.digest) || typeof d.size !== 'number') throw new ApiError('BadRequest', `${what}: layers[${i}] has no valid digest and size`);
    const annotations: Record<string, string> = {};
    if (typeof d.annotations === 'object' && d.annotations !== null) for (const [k, v] of Object.entries(d.annotations)) if (typeof v === 'string') annotations[k] = v;
    const signature = annotations[SIGNATURE_ANNOTATION];
    out.push({ digest: d.digest, size: d.size, annotations, ...(signature !== undefined ? { signature } : {}) });
  });
  return out;
}

/** A `.sig` manifest and its config for these layers (the config names each layer as a diff ID, as cosign's does). */
export function buildSignatureManifest(layers: readonly SignatureLayer[]): { manifest: Buffer; config: Buffer } {
  const config = Buffer.from(JSON.stringify({
    architecture: '', created: '0001-01-01T00:00:00Z', history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
    os: '', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) }, config: {},
  }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, size: config.length, digest: sha256(config) },
    layers: layers.map((l) => ({ mediaType: SIMPLE_SIGNING_MEDIA_TYPE, size: l.size, digest: l.digest, annotations: l.annotations })),
  }));
  return { manifest, config };
}

/** The media type a `.sig` manifest is PUT with. */
export const SIGNATURE_MANIFEST_MEDIA_TYPE = OCI_MANIFEST;
