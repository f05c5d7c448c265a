import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundle, loadTrustedRoot, verifyBundle } from './keyless.js';
import { verifyKeylessImage } from './keyless-image.js';
import { simpleSigningPayload } from './payload.js';
import { sha256 } from '../digest.js';

// Real Sigstore bundles and trusted root from sigstore-js's test data (see testdata/README.md).
const data = join(dirname(fileURLToPath(import.meta.url)), '../../../../src/image/signing/testdata');
const text = (name: string): string => readFileSync(join(data, name), 'utf8');
const trust = loadTrustedRoot(text('sigstore-trusted-root.json'), 'root');
const message = (): ReturnType<typeof loadBundle> => loadBundle(text('sigstore-bundle-message.json'), 'bundle');
const dsse = (): ReturnType<typeof loadBundle> => loadBundle(text('sigstore-bundle-dsse.json'), 'bundle');
const artifact = Buffer.from('hello, world!');
const who = { subject: 'brian@dehamer.com', issuer: 'https://github.com/login/oauth' };

describe('keyless Sigstore bundles (@sigstore/verify, trust given offline)', () => {
  test('a real Fulcio-certified, Rekor-logged bundle verifies for its signer and issuer', () => {
    assert.deepEqual(verifyBundle(message(), trust, who, artifact), who);
    assert.deepEqual(verifyBundle(dsse(), trust, who), who);
  });

  test('another identity or issuer is refused, naming what was expected', () => {
    assert.throws(() => verifyBundle(message(), trust, { ...who, subject: 'mallory@example.com' }, artifact), /certificate identity error - expected .*mallory.*got brian@dehamer\.com/);
    assert.throws(() => verifyBundle(message(), trust, { ...who, subject: 'brian@dehamer.co' }, artifact), /certificate identity error/);
    assert.throws(() => verifyBundle(message(), trust, { ...who, issuer: 'https://accounts.google.com' }, artifact), /expected issuer=https:\/\/accounts\.google\.com/);
  });

  test('other bytes, a damaged signature or a root without the signing CA never pass', () => {
    assert.throws(() => verifyBundle(message(), trust, who, Buffer.from('hello, world?')), /the bundle signs sha256:68e656b2.*not the artifact/);
    const doc = JSON.parse(text('sigstore-bundle-message.json')) as { messageSignature: { signature: string } };
    doc.messageSignature.signature = Buffer.from('garbage').toString('base64');
    assert.throws(() => verifyBundle(loadBundle(JSON.stringify(doc), 'b'), trust, who, artifact), /keyless verification failed/);
    const root = JSON.parse(text('sigstore-trusted-root.json')) as { certificateAuthorities: unknown[] };
    root.certificateAuthorities = root.certificateAuthorities.slice(0, 1);
    assert.throws(() => verifyBundle(message(), loadTrustedRoot(JSON.stringify(root), 'r'), who, artifact), /keyless verification failed/);
  });

  test('malformed bundles and roots are clear errors', () => {
    assert.throws(() => loadBundle('nope', 'bundle b.json'), /bundle b\.json: not JSON/);
    assert.throws(() => loadBundle('{"mediaType":"x"}', 'bundle b.json'), /not a valid Sigstore bundle/);
    assert.throws(() => loadTrustedRoot('[]', 'root r.json'), /expected a JSON object/);
    assert.throws(() => loadTrustedRoot('{"tlogs":[]}', 'root r.json'), /root r\.json\.certificateAuthorities: expected at least one/);
  });

  test('bound to an image: a message signature over the manifest bytes counts for that digest only', () => {
    const digest = sha256(artifact);
    const v = verifyKeylessImage('reg/app', message(), trust, who, { digest, manifest: artifact, signatures: [] });
    assert.equal(v.via, 'manifest');
    assert.equal(v.subject, who.subject);
    const other = Buffer.from('{"schemaVersion":2}');
    assert.throws(() => verifyKeylessImage('reg/app', message(), trust, who, { digest: sha256(other), manifest: other, signatures: [] }),
      /the bundle signs sha256:68e656b2[0-9a-f]+, which is neither reg\/app@sha256:[0-9a-f]{64} nor one of its 0 stored signature payloads/);
    // A stored payload naming another digest does not lend its signature to this image.
    const payload = simpleSigningPayload('reg/app', sha256(Buffer.from('x')));
    assert.throws(() => verifyKeylessImage('reg/app', message(), trust, who, { digest: sha256(other), manifest: other, signatures: [{ payload, layer: { digest: sha256(payload), size: payload.length, annotations: {} } }] }), /neither/);
  });

  test('a DSSE bundle must carry an in-toto statement naming the image digest', () => {
    const m = Buffer.from('{}');
    assert.throws(() => verifyKeylessImage('reg/app', dsse(), trust, who, { digest: sha256(m), manifest: m, signatures: [] }), /DSSE payload of type "text\/plain", not an in-toto statement/);
    assert.throws(() => verifyKeylessImage('reg/app', dsse(), trust, who, { digest: 'sha256:' + '0'.repeat(64), manifest: m, signatures: [] }), /the manifest of reg\/app hashes to/);
  });
});
