import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../api/errors.js';
import type { EncryptionKey } from './aes.js';
import { initialConfig, withNewKey, writeKeyOf, type EncryptionConfig } from './config.js';
import { KeyRing, storedUnder } from './key-ring.js';

const file = '/data/cred/encryption-config.json';
const storeKey = '/registry/secrets/default/db';
const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: Buffer.from('hunter2-very-secret').toString('base64') } });
const ringOf = (cfg: EncryptionConfig): KeyRing => new KeyRing(cfg, writeKeyOf(cfg), file);
const keyOf = (cfg: EncryptionConfig): EncryptionKey => writeKeyOf(cfg)!;

/** The ApiError a read throws, for matching its message. */
function readError(ring: KeyRing, stored: string, key = storeKey): ApiError {
  try { ring.fromStorage(stored, key); } catch (e) { assert.ok(e instanceof ApiError, String(e)); return e; }
  assert.fail('the read should have failed');
}

describe('KeyRing: Kubernetes aesgcm/aescbc values', () => {
  test('a value round-trips; what is stored has the Kubernetes prefix and none of the plaintext', () => {
    const cfg = initialConfig(new Date('2025-01-02T03:04:05Z'));
    const ring = ringOf(cfg);
    const stored = ring.toStorage(secret, storeKey);
    assert.ok(stored.startsWith(`k8s:enc:aesgcm:v1:${keyOf(cfg).name}:`), stored.slice(0, 60));
    assert.equal(keyOf(cfg).name, 'aesgcmkey-20250102T030405Z');
    assert.ok(!stored.includes('hunter2') && !stored.includes(Buffer.from('hunter2-very-secret').toString('base64')) && !stored.includes('"kind"'));
    assert.equal(ring.fromStorage(stored, storeKey), secret);
    // A fresh nonce each time: two writes of one value differ.
    assert.notEqual(ring.toStorage(secret, storeKey), stored);
  });

  test('aescbc (k3s default) round-trips too, as iv || whole AES blocks', () => {
    const cfg: EncryptionConfig = { providers: [{ type: 'aescbc', keys: [{ type: 'aescbc', name: 'aescbckey', secret: randomBytes(32) }] }, { type: 'identity' }] };
    const ring = ringOf(cfg);
    const stored = ring.toStorage(secret, storeKey);
    assert.ok(stored.startsWith('k8s:enc:aescbc:v1:aescbckey:'));
    const sealed = Buffer.from(stored.slice('k8s:enc:aescbc:v1:aescbckey:'.length), 'base64');
    assert.equal(sealed.length % 16, 0);
    assert.equal(sealed.length, 16 + (Math.floor(Buffer.byteLength(secret) / 16) + 1) * 16);
    assert.equal(ring.fromStorage(stored, storeKey), secret);
  });

  test('a value without the prefix is read as plain JSON (the identity fallback); identity writes plain', () => {
    const ring = ringOf(initialConfig(new Date()));
    assert.equal(ring.fromStorage(secret, storeKey), secret);
    const identity = new KeyRing(initialConfig(new Date()), undefined, file);
    assert.equal(identity.toStorage(secret, storeKey), secret);
    assert.equal(storedUnder(secret), undefined);
  });

  test('a key of the same name with another secret: a clear error naming the value, key and file, not garbage', () => {
    const a = initialConfig(new Date('2025-01-01T00:00:00Z'));
    const b = initialConfig(new Date('2025-01-01T00:00:00Z')); // same name, other random secret
    const stored = ringOf(a).toStorage(secret, storeKey);
    const e = readError(ringOf(b), stored);
    assert.equal(e.code, 'Internal');
    assert.match(e.message, /cannot decrypt \/registry\/secrets\/default\/db with aesgcm key "aesgcmkey-20250101T000000Z" of \/data\/cred\/encryption-config\.json: authentication failed/);
    assert.match(e.message, /restore the key it was written with/);
  });

  test('a key that is not in the config: the error says which key and what to do', () => {
    const stored = ringOf(initialConfig(new Date('2025-01-01T00:00:00Z'))).toStorage(secret, storeKey);
    const e = readError(ringOf(initialConfig(new Date('2026-06-01T00:00:00Z'))), stored);
    assert.match(e.message, /encrypted with aesgcm key "aesgcmkey-20250101T000000Z", which is not in \/data\/cred\/encryption-config\.json; put that key back/);
  });

  test('tampered ciphertext, a truncated value, or a value moved to another key are refused', () => {
    const ring = ringOf(initialConfig(new Date()));
    const stored = ring.toStorage(secret, storeKey);
    const prefixLength = stored.indexOf(':', 'k8s:enc:aesgcm:v1:'.length) + 1;
    const sealed = Buffer.from(stored.slice(prefixLength), 'base64');
    for (const at of [0, 12, 20, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at] = bad[at]! ^ 0x01;
      assert.match(readError(ring, stored.slice(0, prefixLength) + bad.toString('base64')).message, /authentication failed/, `byte ${at}`);
    }
    assert.match(readError(ring, stored.slice(0, prefixLength) + sealed.subarray(0, 20).toString('base64')).message, /shorter than an aesgcm nonce and tag/);
    // The store key is authenticated: secret A's ciphertext copied under secret B's key does not open.
    assert.match(readError(ring, stored, '/registry/secrets/default/other').message, /authentication failed/);
  });

  test('aescbc with the wrong key: an error, not garbage', () => {
    const key = (s: Buffer): EncryptionConfig => ({ providers: [{ type: 'aescbc', keys: [{ type: 'aescbc', name: 'k', secret: s }] }] });
    const stored = ringOf(key(randomBytes(32))).toStorage(secret, storeKey);
    // About 1 in 256 wrong keys still unpads: those must not come back as garbage either.
    for (let i = 0; i < 2000; i++) {
      assert.match(readError(ringOf(key(randomBytes(32))), stored).message, /cannot decrypt .* with aescbc key "k"/);
    }
  });

  test('rotation: the new key encrypts new writes, the old key still decrypts older values', () => {
    const first = initialConfig(new Date('2025-01-01T00:00:00Z'));
    const old = ringOf(first).toStorage(secret, storeKey);
    const { cfg: rotated, key } = withNewKey(first, new Date('2025-02-01T00:00:00Z'));
    const ring = ringOf(rotated);
    assert.equal(key.name, 'aesgcmkey-20250201T000000Z');
    assert.equal(ring.writeKey, key);
    const fresh = ring.toStorage(secret, storeKey);
    assert.equal(storedUnder(fresh)?.name, key.name);
    assert.equal(ring.fromStorage(old, storeKey), secret);
    assert.equal(ring.fromStorage(fresh, storeKey), secret);
    assert.ok(ring.isCurrent(fresh));
    assert.ok(!ring.isCurrent(old));
    assert.ok(!ring.isCurrent(secret));
    // The old ring cannot read the new value.
    assert.match(readError(ringOf(first), fresh).message, /not in/);
  });
});
