import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { simpleSigningPayload, parsePayload } from './payload.js';
import { decryptCosignKey, generateCosignKeyPair, loadPrivateKey, loadPublicKey, pemBlock, publicKeyPem } from './keys.js';
import { signPayload, verifyPayload } from './signature.js';
import { buildSignatureManifest, parseSignatureManifest, signatureTag, SIGNATURE_ANNOTATION } from './artifact.js';
import { verifySignatures } from './verify.js';
import { sha256 } from '../digest.js';
import type { StoredSignature } from './remote.js';

// Fixtures made by cosign (see testdata/README.md for where each comes from).
const data = join(dirname(fileURLToPath(import.meta.url)), '../../../../src/image/signing/testdata');
const fixture = (name: string): Buffer => readFileSync(join(data, name));
const cosignPayload = fixture('cosign-payload.json');
const cosignSignature = fixture('cosign-signature.b64').toString('utf8');
const cosignDigest = 'sha256:623621b56649b5e0c2c7cf3ffd987932f8f9a5a01036e00d6f3ae9480087621c';

function stored(payload: Buffer, signature?: string): StoredSignature {
  return { payload, layer: { digest: sha256(payload), size: payload.length, annotations: {}, ...(signature ? { signature } : {}) } };
}

describe('simple-signing payload', () => {
  test('is byte for byte the payload cosign signed', () => {
    assert.deepEqual(simpleSigningPayload('wabbitnetworks.azurecr.io/test/cosign-image', cosignDigest), cosignPayload);
  });
  test('parses the digest and reference out of cosign\'s payload', () => {
    const c = parsePayload(cosignPayload);
    assert.equal(c.digest, cosignDigest);
    assert.equal(c.dockerReference, 'wabbitnetworks.azurecr.io/test/cosign-image');
  });
  test('refuses a payload of another type or without a digest, naming the field', () => {
    assert.throws(() => parsePayload(Buffer.from('{"critical":{"type":"x"}}')), /critical\.type/);
    assert.throws(() => parsePayload(Buffer.from('{"critical":{"type":"cosign container image signature","identity":{"docker-reference":"a"},"image":{}}}')), /docker-manifest-digest/);
    assert.throws(() => parsePayload(Buffer.from('not json')), /not JSON/);
  });
});

describe('keys', () => {
  test('decrypts a key cosign encrypted (ENCRYPTED SIGSTORE PRIVATE KEY, password "hello")', () => {
    const key = loadPrivateKey(fixture('cosign-sigstore.key').toString('utf8'), 'hello');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  });
  test('a wrong password is an error that says so, never a key', () => {
    const { der } = pemBlock(fixture('cosign-sigstore.key').toString('utf8'), 'k');
    assert.throws(() => decryptCosignKey(der, 'wrong'), /wrong password/);
    assert.throws(() => loadPrivateKey(fixture('cosign-sigstore.key').toString('utf8'), undefined), /COSIGN_PASSWORD/);
  });
  test('a damaged encrypted key is a clear error', () => {
    const text = fixture('cosign-sigstore.key').toString('utf8');
    const { der } = pemBlock(text, 'k');
    const doc = JSON.parse(der.toString('utf8')) as { ciphertext: string };
    doc.ciphertext = Buffer.from('garbage').toString('base64');
    assert.throws(() => decryptCosignKey(Buffer.from(JSON.stringify(doc)), 'hello'), /wrong password .* or a damaged key file/);
    assert.throws(() => decryptCosignKey(Buffer.from('{"kdf":{"name":"pbkdf2"}}'), 'hello'), /kdf must be scrypt/);
  });
  test('generate-key-pair output decrypts with its password and signs for its public key', () => {
    const { privatePem, publicPem } = generateCosignKeyPair('pw');
    assert.match(privatePem, /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/);
    const key = loadPrivateKey(privatePem, 'pw');
    const pub = loadPublicKey(publicPem);
    const payload = simpleSigningPayload('r/app', `sha256:${'a'.repeat(64)}`);
    assert.equal(verifyPayload(pub, payload, signPayload(key, payload)), true);
    assert.throws(() => loadPrivateKey(privatePem, 'not-pw'), /wrong password/);
  });
  test('reads PKCS#8 and SEC1 private keys; refuses other curves and other blocks', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    assert.ok(loadPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), undefined));
    assert.ok(loadPrivateKey(privateKey.export({ format: 'pem', type: 'sec1' }).toString(), undefined));
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
    assert.throws(() => loadPrivateKey(p384.export({ format: 'pem', type: 'pkcs8' }).toString(), undefined), /P-256 key is needed/);
    assert.throws(() => loadPublicKey(publicKeyPem(p384)), /P-256/);
    assert.throws(() => loadPublicKey('hello'), /no PEM block/);
    assert.throws(() => loadPublicKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()), /expected a PUBLIC KEY block/);
  });
});

describe('signatures', () => {
  const pub = loadPublicKey(fixture('cosign-signer.pub').toString('utf8'));
  test('verifies a signature cosign made over its payload', () => {
    assert.equal(verifyPayload(pub, cosignPayload, cosignSignature), true);
  });
  test('the same signature over other bytes, or garbage, does not verify', () => {
    const other = Buffer.from(cosignPayload.toString('utf8').replace('623621', '623622'));
    assert.notDeepEqual(other, cosignPayload);
    assert.equal(verifyPayload(pub, other, cosignSignature), false);
    assert.equal(verifyPayload(pub, cosignPayload, 'bm90IGEgc2lnbmF0dXJl'), false);
    assert.equal(verifyPayload(pub, cosignPayload, ''), false);
  });
  test('verifySignatures: a cosign signature of the image digest passes; one of another digest is a digest mismatch', () => {
    const keys = [{ name: 'cosign.pub', key: pub }];
    const ok = verifySignatures(cosignDigest, [stored(cosignPayload, cosignSignature)], keys);
    assert.equal(ok.verified.length, 1);
    assert.equal(ok.verified[0]!.key, 'cosign.pub');
    const other = verifySignatures(`sha256:${'b'.repeat(64)}`, [stored(cosignPayload, cosignSignature)], keys);
    assert.equal(other.verified.length, 0);
    assert.match(other.failures[0]!, /digest mismatch/);
  });
  test('verifySignatures: another key is a signature mismatch; no annotation is named', () => {
    const otherKey = createPublicKey(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const r = verifySignatures(cosignDigest, [stored(cosignPayload, cosignSignature), stored(cosignPayload)], [{ name: 'k', key: otherKey }]);
    assert.equal(r.verified.length, 0);
    assert.match(r.failures[0]!, /signature mismatch/);
    assert.match(r.failures[1]!, /no signature annotation/);
  });
});

describe('the .sig artifact', () => {
  test('tag is sha256-<hex>.sig; anything but a digest is refused', () => {
    assert.equal(signatureTag(cosignDigest), 'sha256-623621b56649b5e0c2c7cf3ffd987932f8f9a5a01036e00d6f3ae9480087621c.sig');
    assert.throws(() => signatureTag('latest'), /not a sha256 digest/);
  });
  test('a manifest built here reads back with its signatures, in cosign\'s layer shape', () => {
    const layers = [{ digest: sha256(cosignPayload), size: cosignPayload.length, signature: cosignSignature, annotations: { [SIGNATURE_ANNOTATION]: cosignSignature } }];
    const { manifest, config } = buildSignatureManifest(layers);
    const doc = JSON.parse(manifest.toString('utf8')) as Record<string, unknown> & { layers: Array<{ mediaType: string }>; config: { digest: string } };
    assert.equal(doc.layers[0]!.mediaType, 'application/vnd.dev.cosign.simplesigning.v1+json');
    assert.equal(doc.config.digest, sha256(config));
    // The layer digest of cosign's own artifact for this payload (ratify's fixture) is what we compute.
    assert.equal(layers[0]!.digest, 'sha256:d1226e36bc8502978324cb2cb2116c6aa48edb2ea8f15b1c6f6f256ed43388f6');
    const back = parseSignatureManifest(doc, 'm');
    assert.equal(back[0]!.signature, cosignSignature);
  });
  test('a layer with a bad digest is an error, not a skipped signature', () => {
    assert.throws(() => parseSignatureManifest({ layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: 'x', size: 1 }] }, 'm'), /layers\[0\]/);
  });
});
