/**
 * Binds a keyless Sigstore bundle to one image digest, then verifies it. A bundle counts for image
 * D when what it signs is: D's manifest bytes (a message signature over the manifest), a cosign
 * simple-signing payload stored under D's `.sig` tag that names D (cosign's classic keyless
 * signature), or an in-toto statement whose subject has sha256 D (cosign's new bundle format).
 */
import { createHash } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import type { TrustMaterial } from '@sigstore/verify';
import { ApiError } from '../../api/errors.js';
import { parsePayload } from './payload.js';
import { signedContent, verifyBundle, type KeylessIdentity } from './keyless.js';
import { fetchManifest } from '../distribution/manifest.js';
import type { RegistryClient } from '../distribution/registry.js';
import { fetchSignatures, type StoredSignature } from './remote.js';

/** What the image offers to bind a bundle to: its digest, manifest bytes and stored signature payloads. */
export interface ImageEvidence { digest: string; manifest: Buffer; signatures: readonly StoredSignature[] }

/** A bundle that verified for the image: who signed and how it names the image. */
export interface KeylessVerdict extends KeylessIdentity { via: 'manifest' | 'payload' | 'in-toto' }

/** Reads what binds a bundle to repo@digest from the registry: the manifest bytes and stored signatures. */
export async function fetchImageEvidence(client: RegistryClient, repo: string, digest: string): Promise<ImageEvidence> {
  const manifest = await fetchManifest(client, repo, digest);
  return { digest, manifest: manifest.bytes, signatures: await fetchSignatures(client, repo, digest) };
}

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function inTotoSubjects(payload: Buffer): string[] {
  let doc: unknown;
  try { doc = JSON.parse(payload.toString('utf8')); } catch { return []; }
  const subjects = (doc as { subject?: unknown } | null)?.subject;
  if (!Array.isArray(subjects)) return [];
  return subjects.flatMap((s: unknown) => {
    const hex = (s as { digest?: { sha256?: unknown } } | null)?.digest?.sha256;
    return typeof hex === 'string' ? [`sha256:${hex}`] : [];
  });
}

/** Verifies bundle for the image (trust, identity, then binding); throws Forbidden naming why not. */
export function verifyKeylessImage(image: string, bundle: Bundle, trust: TrustMaterial, identity: KeylessIdentity, evidence: ImageEvidence): KeylessVerdict {
  if (sha(evidence.manifest) !== evidence.digest) throw new ApiError('BadRequest', `the manifest of ${image} hashes to ${sha(evidence.manifest)}, not ${evidence.digest}`);
  const content = signedContent(bundle);
  if (content.kind === 'dsse') {
    const signer = verifyBundle(bundle, trust, identity);
    if (content.payloadType !== 'application/vnd.in-toto+json') throw new ApiError('Forbidden', `the bundle signs a DSSE payload of type "${content.payloadType}", not an in-toto statement about ${image}@${evidence.digest}`);
    const subjects = inTotoSubjects(content.payload);
    if (!subjects.includes(evidence.digest)) throw new ApiError('Forbidden', `the bundle's in-toto statement names ${subjects.join(', ') || 'no subject digest'}, not ${image}@${evidence.digest}`);
    return { ...signer, via: 'in-toto' };
  }
  if (content.digest === evidence.digest) return { ...verifyBundle(bundle, trust, identity, evidence.manifest), via: 'manifest' };
  const stored = evidence.signatures.find((s) => sha(s.payload) === content.digest);
  if (!stored) throw new ApiError('Forbidden', `the bundle signs ${content.digest}, which is neither ${image}@${evidence.digest} nor one of its ${evidence.signatures.length} stored signature payloads`);
  const claim = parsePayload(stored.payload);
  if (claim.digest !== evidence.digest) throw new ApiError('Forbidden', `the payload the bundle signs names ${claim.digest}, not ${image}@${evidence.digest}`);
  return { ...verifyBundle(bundle, trust, identity, stored.payload), via: 'payload' };
}
