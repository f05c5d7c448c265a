/** Compact JWS with ES256 (ECDSA P-256, SHA-256; the signature as r||s): enough JWT for ServiceAccount tokens. */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const b64u = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** Sign CLAIMS with an EC P-256 private key; KID names the key (the sha256 of its public key). */
export function signJwt(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const head = b64u(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
  const body = b64u(JSON.stringify(claims));
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${head}.${body}.${b64u(sig)}`;
}

/** The claims of TOKEN when it is an ES256 JWT signed by KEY; undefined for anything else (not a JWT, other key, bad signature). */
export function verifyJwt(token: string, key: KeyObject): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, sig] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown };
    if (header.alg !== 'ES256') return undefined;
    const pub = key.type === 'private' ? createPublicKey(key) : key;
    if (!verify('sha256', Buffer.from(`${head}.${body}`), { key: pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))) return undefined;
    const claims: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? claims as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
