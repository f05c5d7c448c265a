/**
 * Signing keys as cosign keeps them: ECDSA P-256, the public key as SPKI PEM ("PUBLIC KEY"), the
 * private key as PKCS#8 PEM ("PRIVATE KEY"), SEC1 ("EC PRIVATE KEY") or cosign's own encrypted form
 * ("ENCRYPTED SIGSTORE PRIVATE KEY", older "ENCRYPTED COSIGN PRIVATE KEY"): a base64 JSON body
 * {kdf: scrypt N/r/p + salt, cipher: nacl/secretbox + nonce, ciphertext} whose plaintext is the
 * PKCS#8 DER. A wrong password, a damaged file or another curve is an error that says which.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { ApiError } from '../../api/errors.js';

/** The PEM label cosign writes for an encrypted private key (generate-key-pair). */
export const SIGSTORE_PRIVATE_KEY_LABEL = 'ENCRYPTED SIGSTORE PRIVATE KEY';
const ENCRYPTED_LABELS = [SIGSTORE_PRIVATE_KEY_LABEL, 'ENCRYPTED COSIGN PRIVATE KEY'];
/** cosign's scrypt cost (N=2^15, r=8, p=1). */
const SCRYPT = { N: 32768, r: 8, p: 1 };

function bad(what: string, why: string): ApiError {
  return new ApiError('BadRequest', `${what}: ${why}`);
}

/** The first PEM block of text: its label and DER bytes. */
export function pemBlock(text: string, what: string): { label: string; der: Buffer } {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) throw bad(what, 'no PEM block found (expected -----BEGIN ...----- / -----END ...-----)');
  const body = m[2]!.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw bad(what, `the ${m[1]} block is not base64`);
  return { label: m[1]!, der: Buffer.from(body, 'base64') };
}

function pem(label: string, der: Buffer): string {
  return `-----BEGIN ${label}-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function requireP256(key: KeyObject, what: string): KeyObject {
  const curve = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
  if (curve !== 'prime256v1') throw bad(what, `an ECDSA P-256 key is needed, this is ${key.asymmetricKeyType === 'ec' ? `an EC key on ${curve ?? 'an unknown curve'}` : `a ${key.asymmetricKeyType ?? 'unknown'} key`}`);
  return key;
}

interface EncryptedDoc { kdf: { name: string; params: { N: number; r: number; p: number }; salt: string }; cipher: { name: string; nonce: string }; ciphertext: string }

function parseEncrypted(der: Buffer, what: string): EncryptedDoc {
  let doc: unknown;
  try { doc = JSON.parse(der.toString('utf8')); } catch { throw bad(what, 'the encrypted key body is not JSON'); }
  const d = doc as Partial<EncryptedDoc>;
  if (d.kdf?.name !== 'scrypt' || typeof d.kdf.salt !== 'string' || ![d.kdf.params?.N, d.kdf.params?.r, d.kdf.params?.p].every((n) => Number.isInteger(n) && (n as number) > 0)) throw bad(what, 'kdf must be scrypt with params N, r, p and a salt');
  if (d.cipher?.name !== 'nacl/secretbox' || typeof d.cipher.nonce !== 'string') throw bad(what, 'cipher must be nacl/secretbox with a nonce');
  if (typeof d.ciphertext !== 'string') throw bad(what, 'ciphertext is missing');
  const { N, r } = d.kdf.params!;
  // Bounded so a hostile file cannot make scrypt take the machine's memory.
  if (N > 1 << 20 || r > 32) throw bad(what, `scrypt parameters N=${N} r=${r} are beyond what Lantern accepts (N <= 2^20, r <= 32)`);
  return d as EncryptedDoc;
}

function scryptKey(password: string, salt: Buffer, p: { N: number; r: number; p: number }): Buffer {
  return scryptSync(Buffer.from(password, 'utf8'), salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + (1 << 20) });
}

/** Decrypts a cosign encrypted private key (password as COSIGN_PASSWORD gives it); PKCS#8 inside. */
export function decryptCosignKey(der: Buffer, password: string, what = 'private key'): KeyObject {
  const doc = parseEncrypted(der, what);
  const nonce = Buffer.from(doc.cipher.nonce, 'base64');
  if (nonce.length !== nacl.secretbox.nonceLength) throw bad(what, `the nonce has ${nonce.length} bytes, not ${nacl.secretbox.nonceLength}`);
  const key = scryptKey(password, Buffer.from(doc.kdf.salt, 'base64'), doc.kdf.params);
  const plain = nacl.secretbox.open(Buffer.from(doc.ciphertext, 'base64'), nonce, key);
  if (!plain) throw bad(what, 'decryption failed: wrong password (COSIGN_PASSWORD) or a damaged key file');
  try { return createPrivateKey({ key: Buffer.from(plain), format: 'der', type: 'pkcs8' }); } catch (e) { throw bad(what, `the decrypted key is not PKCS#8 (${(e as Error).message})`); }
}

/** Loads a signing key from PEM text: cosign's encrypted form (needs password), PKCS#8 or SEC1; P-256 only. */
export function loadPrivateKey(text: string, password: string | undefined, what = 'private key'): KeyObject {
  const { label, der } = pemBlock(text, what);
  if (ENCRYPTED_LABELS.includes(label)) {
    if (password === undefined) throw bad(what, 'the key is encrypted: set COSIGN_PASSWORD (empty for none) or type it when asked');
    return requireP256(decryptCosignKey(der, password, what), what);
  }
  const type = label === 'PRIVATE KEY' ? 'pkcs8' : label === 'EC PRIVATE KEY' ? 'sec1' : undefined;
  if (!type) throw bad(what, `a ${label} block is not a private key Lantern reads (PRIVATE KEY, EC PRIVATE KEY or ${SIGSTORE_PRIVATE_KEY_LABEL})`);
  try { return requireP256(createPrivateKey({ key: der, format: 'der', type }), what); } catch (e) {
    if (e instanceof ApiError) throw e;
    throw bad(what, `cannot parse the ${label} block (${(e as Error).message})`);
  }
}

/** Loads a verification key from SPKI PEM ("PUBLIC KEY"); P-256 only. */
export function loadPublicKey(text: string, what = 'public key'): KeyObject {
  const { label, der } = pemBlock(text, what);
  if (label !== 'PUBLIC KEY') throw bad(what, `expected a PUBLIC KEY block (as cosign.pub), found ${label}`);
  try { return requireP256(createPublicKey({ key: der, format: 'der', type: 'spki' }), what); } catch (e) {
    if (e instanceof ApiError) throw e;
    throw bad(what, `cannot parse the PUBLIC KEY block (${(e as Error).message})`);
  }
}

/** Encrypts a private key in cosign's format (scrypt N=2^15 r=8 p=1 + secretbox), as generate-key-pair writes it. */
export function encryptCosignKey(key: KeyObject, password: string): string {
  const salt = randomBytes(32);
  const nonce = randomBytes(nacl.secretbox.nonceLength);
  const box = nacl.secretbox(key.export({ format: 'der', type: 'pkcs8' }), nonce, scryptKey(password, salt, SCRYPT));
  const body = { kdf: { name: 'scrypt', params: SCRYPT, salt: salt.toString('base64') }, cipher: { name: 'nacl/secretbox', nonce: Buffer.from(nonce).toString('base64') }, ciphertext: Buffer.from(box).toString('base64') };
  return pem(SIGSTORE_PRIVATE_KEY_LABEL, Buffer.from(JSON.stringify(body)));
}

/** The SPKI PEM of a key (cosign.pub). */
export function publicKeyPem(key: KeyObject): string {
  return pem('PUBLIC KEY', (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' }));
}

/** A new P-256 key pair as cosign generate-key-pair writes it: cosign.key (encrypted) and cosign.pub. */
export function generateCosignKeyPair(password: string): { privatePem: string; publicPem: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privatePem: encryptCosignKey(privateKey, password), publicPem: publicKeyPem(privateKey) };
}
