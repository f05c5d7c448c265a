/**
 * cosign's simple-signing payload: the JSON document a cosign image signature signs. The signature
 * covers these exact bytes, so a verifier reads the digest out of the bytes it verified, never out
 * of a re-serialised copy.
 */
import { ApiError } from '../../api/errors.js';

/** The `critical.type` cosign writes and checks. */
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

/** What a payload binds: the repository the signer named and the manifest digest it signed. */
export interface SignedClaim {
  dockerReference: string;
  digest: string;
  /** cosign's `optional` (annotations with -a); null when absent. */
  optional: Record<string, unknown> | null;
}

/** The payload cosign writes for `cosign sign` (key order and compact form as cosign's Go encoder). */
export function simpleSigningPayload(dockerReference: string, digest: string, optional: Record<string, unknown> | null = null): Buffer {
  const doc = { critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': digest }, type: COSIGN_SIGNATURE_TYPE }, optional };
  return Buffer.from(JSON.stringify(doc));
}

function bad(why: string): ApiError {
  return new ApiError('BadRequest', `malformed cosign signature payload: ${why}`);
}

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${field} must be an object`);
  return v as Record<string, unknown>;
}

/** Parses and checks a payload (type, digest shape); throws BadRequest naming the field that is wrong. */
export function parsePayload(bytes: Buffer): SignedClaim {
  if (bytes.length > 1 << 20) throw bad(`${bytes.length} bytes is more than the 1 MiB a payload may have`);
  let doc: unknown;
  try { doc = JSON.parse(bytes.toString('utf8')); } catch (e) { throw bad(`not JSON (${(e as Error).message})`); }
  const root = obj(doc, 'the document');
  const critical = obj(root.critical, 'critical');
  if (critical.type !== COSIGN_SIGNATURE_TYPE) throw bad(`critical.type is ${JSON.stringify(critical.type)}, expected "${COSIGN_SIGNATURE_TYPE}"`);
  const digest = obj(critical.image, 'critical.image')['docker-manifest-digest'];
  if (typeof digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(digest)) throw bad(`critical.image.docker-manifest-digest must be sha256:<64 hex>, got ${JSON.stringify(digest)}`);
  const identity = obj(critical.identity, 'critical.identity')['docker-reference'];
  if (typeof identity !== 'string') throw bad('critical.identity.docker-reference must be a string');
  const optional = root.optional === undefined || root.optional === null ? null : obj(root.optional, 'optional');
  return { dockerReference: identity, digest, optional };
}
