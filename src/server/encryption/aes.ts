/**
 * Kubernetes' `aesgcm` and `aescbc` envelope formats, with node:crypto only:
 *   aesgcm: nonce(12) || ciphertext || tag(16), the store key as additional authenticated data
 *   aescbc: iv(16) || ciphertext (PKCS#7 padding); unauthenticated, as in Kubernetes
 */
import { createCipheriv, createDecipheriv, randomFillSync, type CipherGCMTypes } from 'node:crypto';

/** The encrypting provider types Lantern reads and writes. */
export type CipherType = 'aesgcm' | 'aescbc';

/** One named key of an aesgcm or aescbc provider. */
export interface EncryptionKey { type: CipherType; name: string; secret: Buffer }

/** Why a sealed value could not be opened (the caller adds which value and what to do). */
export class DecryptError extends Error {
  constructor(message: string) { super(message); this.name = 'DecryptError'; }
}

const gcmNonce = 12;
const gcmTag = 16;
const cbcIv = 16;

/** AES-128/192/256 by the secret's length (16, 24 or 32 bytes). */
function bits(key: EncryptionKey): 128 | 192 | 256 {
  const n = key.secret.length * 8;
  if (n !== 128 && n !== 192 && n !== 256) throw new Error(`key "${key.name}": an AES key is 16, 24 or 32 bytes, not ${key.secret.length}`);
  return n;
}
const gcm = (key: EncryptionKey): CipherGCMTypes => `aes-${bits(key)}-gcm`;
const cbc = (key: EncryptionKey): string => `aes-${bits(key)}-cbc`;

/** Random bytes for nonces, filled 4 KiB at a time: one call into the CSPRNG per ~340 writes, not one each. */
const noncePool = Buffer.alloc(4096);
let noncePoolUsed = noncePool.length;

/** n fresh random bytes (a copy: the pool is refilled under them later). */
function randomNonce(n: number): Buffer {
  if (noncePoolUsed + n > noncePool.length) { randomFillSync(noncePool); noncePoolUsed = 0; }
  const out = Buffer.from(noncePool.subarray(noncePoolUsed, noncePoolUsed + n));
  noncePoolUsed += n;
  return out;
}

/** Encrypt plain with key; aad is authenticated (aesgcm only, as Kubernetes). */
export function seal(key: EncryptionKey, plain: Buffer, aad: Buffer): Buffer {
  if (key.type === 'aesgcm') {
    const nonce = randomNonce(gcmNonce);
    const c = createCipheriv(gcm(key), key.secret, nonce, { authTagLength: gcmTag });
    c.setAAD(aad);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([nonce, body, c.getAuthTag()]);
  }
  const iv = randomNonce(cbcIv);
  const c = createCipheriv(cbc(key), key.secret, iv);
  return Buffer.concat([iv, c.update(plain), c.final()]);
}

/** Decrypt what seal made; throws DecryptError when the key is not the one used or the data changed. */
export function open(key: EncryptionKey, sealed: Buffer, aad: Buffer): Buffer {
  if (key.type === 'aesgcm') {
    if (sealed.length < gcmNonce + gcmTag) throw new DecryptError(`the sealed value is ${sealed.length} bytes, shorter than an aesgcm nonce and tag`);
    const d = createDecipheriv(gcm(key), key.secret, sealed.subarray(0, gcmNonce), { authTagLength: gcmTag });
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - gcmTag));
    const body = d.update(sealed.subarray(gcmNonce, sealed.length - gcmTag));
    try {
      return Buffer.concat([body, d.final()]);
    } catch {
      throw new DecryptError('authentication failed (the key is not the one it was written with, or the stored value was changed)');
    }
  }
  if (sealed.length < 2 * cbcIv || sealed.length % cbcIv !== 0) throw new DecryptError(`the sealed value is ${sealed.length} bytes, not an IV and whole AES blocks`);
  const d = createDecipheriv(cbc(key), key.secret, sealed.subarray(0, cbcIv));
  try {
    return Buffer.concat([d.update(sealed.subarray(cbcIv)), d.final()]);
  } catch {
    throw new DecryptError('bad padding (the key is not the one it was written with, or the stored value was changed)');
  }
}
