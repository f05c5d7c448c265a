/**
 * Checks an image's stored signatures against keys, as `cosign verify --key`: a signature counts
 * when one key verifies it over the payload bytes AND the payload names the image's digest. The
 * result says why each one that failed did, so a refusal can name the reason.
 */
import type { KeyObject } from 'node:crypto';
import { ApiError } from '../../api/errors.js';
import { parsePayload, type SignedClaim } from './payload.js';
import { verifyPayload } from './signature.js';
import type { StoredSignature } from './remote.js';

/** One key a verifier trusts, with the name it is known by (a file, a policy's authority). */
export interface TrustedKey { name: string; key: KeyObject }

/** What verifying found: the claims that verified, and why the others did not. */
export interface VerifyResult {
  verified: Array<SignedClaim & { key: string; payload: Buffer }>;
  failures: string[];
}

/** Verifies each stored signature of digest against keys (pure: no I/O). */
export function verifySignatures(digest: string, signatures: readonly StoredSignature[], keys: readonly TrustedKey[]): VerifyResult {
  const result: VerifyResult = { verified: [], failures: [] };
  for (const s of signatures) {
    const sig = s.layer.signature;
    if (!sig) { result.failures.push(`layer ${s.layer.digest} carries no signature annotation`); continue; }
    const key = keys.find((k) => verifyPayload(k.key, s.payload, sig));
    if (!key) { result.failures.push(`signature in layer ${s.layer.digest}: signature mismatch (no trusted key verifies it)`); continue; }
    let claim: SignedClaim;
    try { claim = parsePayload(s.payload); } catch (e) { result.failures.push(`layer ${s.layer.digest}: ${(e as Error).message}`); continue; }
    if (claim.digest !== digest) { result.failures.push(`layer ${s.layer.digest}: digest mismatch (the payload signs ${claim.digest}, the image is ${digest})`); continue; }
    result.verified.push({ ...claim, key: key.name, payload: s.payload });
  }
  return result;
}

/** The one-line reason nothing verified, for errors and pod events. */
export function refusalReason(image: string, digest: string, signatures: readonly StoredSignature[], result: VerifyResult, keysOf: string): string {
  if (signatures.length === 0) return `no signatures found for ${image}@${digest}`;
  return `no signature of ${image}@${digest} verifies with ${keysOf}: ${result.failures.join('; ')}`;
}

/** Throws when nothing verified (cosign's "no matching signatures"), naming why. */
export function requireVerified(image: string, digest: string, signatures: readonly StoredSignature[], result: VerifyResult, keysOf: string): void {
  if (result.verified.length === 0) throw new ApiError('Forbidden', refusalReason(image, digest, signatures, result, keysOf));
}
