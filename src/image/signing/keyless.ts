/**
 * Keyless (Sigstore) verification with the official @sigstore/verify: a bundle (Fulcio certificate,
 * Rekor entry, signature) is checked against trust material given offline (a trusted_root.json) and
 * an identity policy (certificate SAN + OIDC issuer, exact as cosign's --certificate-identity /
 * --certificate-oidc-issuer). Then the bundle is bound to an image digest (keyless-image.ts).
 */
import { createHash } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { ApiError } from '../../api/errors.js';

/** Who must have signed: the certificate's SAN and the OIDC issuer extension, both exact. */
export interface KeylessIdentity { subject: string; issuer: string }

/** What a verified bundle says was signed. */
export type SignedContent =
  | { kind: 'digest'; digest: string }
  | { kind: 'dsse'; payloadType: string; payload: Buffer };

const MAX_JSON = 4 << 20;

function parseJson(text: string, what: string): unknown {
  if (text.length > MAX_JSON) throw new ApiError('BadRequest', `${what}: ${text.length} bytes, more than ${MAX_JSON}`);
  try { return JSON.parse(text) as unknown; } catch (e) { throw new ApiError('BadRequest', `${what}: not JSON: ${(e as Error).message}`); }
}

/** Parses a trusted_root.json (Sigstore's TrustedRoot) into trust material; a root without a CA or log is an error. */
export function loadTrustedRoot(text: string, what: string): TrustMaterial {
  const doc = parseJson(text, what);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ApiError('BadRequest', `${what}: expected a JSON object (a Sigstore trusted_root.json)`);
  let root: TrustedRoot;
  try { root = TrustedRoot.fromJSON(doc); } catch (e) { throw new ApiError('BadRequest', `${what}: not a Sigstore trusted root: ${(e as Error).message}`); }
  if (root.certificateAuthorities.length === 0) throw new ApiError('BadRequest', `${what}.certificateAuthorities: expected at least one certificate authority (Fulcio)`);
  if (root.tlogs.length === 0) throw new ApiError('BadRequest', `${what}.tlogs: expected at least one transparency log (Rekor) key`);
  return toTrustMaterial(root);
}

/** Parses and validates a Sigstore bundle (v0.1 to v0.3). */
export function loadBundle(text: string, what: string): Bundle {
  const doc = parseJson(text, what);
  try { return bundleFromJSON(doc); } catch (e) {
    const fields = (e as { fields?: unknown }).fields;
    throw new ApiError('BadRequest', `${what}: not a valid Sigstore bundle: ${(e as Error).message}${Array.isArray(fields) ? ` (fields: ${fields.join(', ')})` : ''}`);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What the bundle signs: a message digest ("sha256:<hex>") or a DSSE payload. */
export function signedContent(bundle: Bundle): SignedContent {
  const c = bundle.content;
  if (c.$case === 'dsseEnvelope') return { kind: 'dsse', payloadType: c.dsseEnvelope.payloadType, payload: Buffer.from(c.dsseEnvelope.payload) };
  const md = c.messageSignature.messageDigest;
  if (!md) throw new ApiError('BadRequest', 'bundle.messageSignature.messageDigest: expected the digest of the signed artifact');
  if (md.algorithm !== 1 /* SHA2_256 */) throw new ApiError('BadRequest', 'bundle.messageSignature.messageDigest.algorithm: expected SHA2_256');
  return { kind: 'digest', digest: `sha256:${Buffer.from(md.digest).toString('hex')}` };
}

/**
 * Verifies bundle against trust and identity (certificate chain to a trusted CA valid at the Rekor
 * time, SCT, Rekor inclusion, signature). artifact, when given, must be what a message signature
 * signs. Throws Forbidden naming why; returns the signer's identity.
 */
export function verifyBundle(bundle: Bundle, trust: TrustMaterial, identity: KeylessIdentity, artifact?: Buffer): KeylessIdentity {
  if (bundle.verificationMaterial.content.$case === 'publicKey') throw new ApiError('Forbidden', 'the bundle is signed with a public key, not a certificate: use --key for key-based verification');
  if (artifact && bundle.content.$case === 'messageSignature') {
    const want = signedContent(bundle);
    const got = `sha256:${createHash('sha256').update(artifact).digest('hex')}`;
    if (want.kind === 'digest' && want.digest !== got) throw new ApiError('Forbidden', `the bundle signs ${want.digest}, not the artifact (${got})`);
  }
  try {
    const signer = new Verifier(trust).verify(toSignedEntity(bundle, artifact), {
      subjectAlternativeName: `^${escapeRegExp(identity.subject)}$`,
      extensions: { issuer: identity.issuer },
    });
    return { subject: signer.identity?.subjectAlternativeName ?? identity.subject, issuer: signer.identity?.extensions?.issuer ?? identity.issuer };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new ApiError('Forbidden', `keyless verification failed${typeof code === 'string' ? ` (${code})` : ''}: ${(e as Error).message}`);
  }
}
