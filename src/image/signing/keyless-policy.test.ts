import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterImagePolicy } from '../../api/schema/cluster-image-policy.js';
import { clusterImagePolicyKind } from '../../api/kinds/cluster-image-policy.js';
import { RegistryClient } from '../distribution/registry.js';
import { FakeRegistry } from '../distribution/fake-registry.js';
import { sha256 as sha } from '../digest.js';
import { loadBundle } from './keyless.js';
import { checkKeyless, referrersTag, type KeylessAuthority } from './keyless-policy.js';
import { ImageVerifier } from './verifier.js';

// Real Sigstore bundles and trusted root from sigstore-js's test data (see testdata/README.md).
const data = join(dirname(fileURLToPath(import.meta.url)), '../../../../src/image/signing/testdata');
const text = (name: string): string => readFileSync(join(data, name), 'utf8');
const rootText = text('sigstore-trusted-root.json');
const bundleText = text('sigstore-bundle-message.json');
const who = { subject: 'brian@dehamer.com', issuer: 'https://github.com/login/oauth' };
const authority: KeylessAuthority = { name: 'kl/sigstore', identities: [who], trustedRoot: rootText };

describe('keyless authorities of a ClusterImagePolicy', () => {
  test('a bundle from the required identity, under the given root, satisfies the authority; another identity does not', () => {
    const manifest = Buffer.from('hello, world!'); // what the fixture bundle signs
    const evidence = { digest: sha(manifest), manifest, signatures: [] };
    const bundles = [{ from: 'sha256:b', bundle: loadBundle(bundleText, 'bundle') }];
    assert.deepEqual(checkKeyless('reg/app', evidence, bundles, [authority]), { ok: true, by: 'kl/sigstore' });
    const other = checkKeyless('reg/app', evidence, bundles, [{ ...authority, identities: [{ ...who, subject: 'mallory@example.com' }] }]);
    assert.equal(other.ok, false);
    assert.match(other.ok ? '' : other.reason, /no Sigstore bundle of reg\/app@sha256:[0-9a-f]{64} verifies: bundle sha256:b against kl\/sigstore \(mallory@example\.com from https:\/\/github\.com\/login\/oauth\): .*certificate identity error/);
    const none = checkKeyless('reg/app', evidence, [], [authority]);
    assert.match(none.ok ? '' : none.reason, /no Sigstore bundle found for reg\/app@sha256:[0-9a-f]{64} \(looked for referrers under tag sha256-[0-9a-f]{64}\)/);
  });

  test('admission: exactly one of key or keyless, and a trusted root that is not one is refused with its field', () => {
    const p = (authorities: ClusterImagePolicy['spec']['authorities']): ClusterImagePolicy => ({
      apiVersion: 'policy.lantern.dev/v1alpha1', kind: 'ClusterImagePolicy', metadata: { name: 'kl' }, spec: { images: [{ glob: '**' }], authorities },
    });
    const check = clusterImagePolicyKind.validate.bind(clusterImagePolicyKind);
    assert.deepEqual(check(p([{ keyless: { identities: [who], trustedRoot: { data: rootText } } }])), []);
    assert.deepEqual(check(p([{}])).map((c) => c.field), ['spec.authorities[0]']);
    const bad = check(p([{ keyless: { identities: [who], trustedRoot: { data: '{"tlogs":[]}' } } }]));
    assert.deepEqual(bad.map((c) => c.field), ['spec.authorities[0].keyless.trustedRoot.data']);
    assert.match(bad[0]!.message, /certificate authority/);
  });
});

describe('the node verifier with a keyless policy (registry served here)', () => {
  const reg = new FakeRegistry();
  let client: RegistryClient;
  let image: string;
  let digest: string;
  const policy = (mode: 'enforce' | 'warn'): ClusterImagePolicy => ({
    apiVersion: 'policy.lantern.dev/v1alpha1', kind: 'ClusterImagePolicy', metadata: { name: 'kl', resourceVersion: '1' },
    spec: { images: [{ glob: `${reg.host}/team/**` }], authorities: [{ name: 'sigstore', keyless: { identities: [who], trustedRoot: { data: rootText } } }], mode },
  });
  const manifest = (doc: object): Buffer => Buffer.from(JSON.stringify(doc));

  before(async () => {
    await reg.start();
    client = new RegistryClient(reg.host, { scheme: 'http' });
    const config = reg.addBlob(Buffer.from('{}'));
    digest = reg.addManifest('team/app', 'v1', manifest({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 2 }, layers: [] }), 'application/vnd.oci.image.manifest.v1+json');
    image = `${reg.host}/team/app:v1`;
  });
  after(async () => { await reg.stop(); });

  test('an image with no bundle is refused naming the policy; warn mode runs it with the failure as a warning', async () => {
    const v = new ImageVerifier(() => client);
    const refused = await v.check(image, digest, [policy('enforce')]);
    assert.equal(refused.allowed, false);
    assert.match(refused.reason ?? '', /no Sigstore bundle found for .*\/team\/app@sha256:[0-9a-f]{64} .*\(ClusterImagePolicy "kl"\)/);
    const warned = await v.check(image, digest, [policy('warn')]);
    assert.equal(warned.allowed, true);
    assert.match(warned.warnings[0] ?? '', /ClusterImagePolicy "kl" \(warn\): no Sigstore bundle found/);
  });

  test('a bundle attached as a referrer but signing other content is refused with the reason', async () => {
    const bt = 'application/vnd.dev.sigstore.bundle.v0.3+json';
    const bundle = reg.addBlob(Buffer.from(bundleText));
    const empty = reg.addBlob(Buffer.from('{}'));
    const artifact = reg.addManifest('team/app', 'bundle-1', manifest({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: bt,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty, size: 2 },
      layers: [{ mediaType: bt, digest: bundle, size: Buffer.byteLength(bundleText) }],
      subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 1 },
    }), 'application/vnd.oci.image.manifest.v1+json');
    reg.addManifest('team/app', referrersTag(digest), manifest({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: artifact, size: 1, artifactType: bt }] }), 'application/vnd.oci.image.index.v1+json');
    const refused = await new ImageVerifier(() => client).check(image, digest, [policy('enforce')]);
    assert.equal(refused.allowed, false);
    assert.match(refused.reason ?? '', /no Sigstore bundle of .*\/team\/app@sha256:[0-9a-f]{64} verifies: bundle sha256:[0-9a-f]{64} against kl\/sigstore .*the bundle signs sha256:68e656b2[0-9a-f]+, which is neither/);
  });
});
