/** ECDSA P-256 with SHA-256 over the payload bytes, the signature DER-encoded and base64'd: cosign's. */
import { sign, verify, type KeyObject } from 'node:crypto';

/** Signs payload bytes; the base64 DER signature cosign puts in the layer annotation. */
export function signPayload(key: KeyObject, payload: Buffer): string {
  return sign('sha256', payload, key).toString('base64');
}

/** Whether signatureB64 is key's signature over payload (a malformed signature is simply false). */
export function verifyPayload(key: KeyObject, payload: Buffer, signatureB64: string): boolean {
  const sig = Buffer.from(signatureB64, 'base64');
  if (sig.length === 0 || sig.length > 256) return false;
  try { return verify('sha256', payload, key, sig); } catch { return false; }
}
