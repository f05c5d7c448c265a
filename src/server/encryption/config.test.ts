import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { formatEncryptionConfig, initialConfig, keysOf, parseEncryptionConfig, withNewKey, withOnlyKeys, writeKeyOf } from './config.js';

const file = '/d/cred/encryption-config.json';
const b64 = (n: number): string => randomBytes(n).toString('base64');

describe('EncryptionConfiguration (apiserver.config.k8s.io/v1)', () => {
  test('reads the file k3s writes (aescbc, then identity); the first key writes', () => {
    const text = JSON.stringify({
      kind: 'EncryptionConfiguration', apiVersion: 'apiserver.config.k8s.io/v1',
      resources: [{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'aescbckey-2', secret: b64(32) }, { name: 'aescbckey', secret: b64(32) }] } }, { identity: {} }] }],
    });
    const cfg = parseEncryptionConfig(text, file);
    assert.deepEqual(keysOf(cfg).map((k) => `${k.type}/${k.name}`), ['aescbc/aescbckey-2', 'aescbc/aescbckey']);
    assert.equal(writeKeyOf(cfg)?.name, 'aescbckey-2');
    // A rotation keeps the provider type.
    assert.equal(withNewKey(cfg, new Date('2025-01-01T00:00:00Z')).key.name, 'aescbckey-20250101T000000Z');
  });

  test('YAML too; identity first means plain writes', () => {
    const cfg = parseEncryptionConfig(`kind: EncryptionConfiguration
apiVersion: apiserver.config.k8s.io/v1
resources:
  - resources: [secrets]
    providers:
      - identity: {}
      - aesgcm:
          keys:
            - name: key1
              secret: ${b64(16)}
`, file);
    assert.equal(writeKeyOf(cfg), undefined);
    assert.equal(keysOf(cfg)[0]?.secret.length, 16);
  });

  test('what Lantern writes reads back the same, with a fresh aesgcm key then identity', () => {
    const cfg = initialConfig(new Date('2025-03-04T05:06:07Z'));
    const text = formatEncryptionConfig(cfg);
    const doc = JSON.parse(text) as { resources: { providers: Record<string, { keys?: { name: string; secret: string }[] }>[] }[] };
    assert.deepEqual(Object.keys(doc.resources[0]!.providers[0]!), ['aesgcm']);
    assert.deepEqual(doc.resources[0]!.providers[1], { identity: {} });
    assert.equal(Buffer.from(doc.resources[0]!.providers[0]!.aesgcm!.keys![0]!.secret, 'base64').length, 32);
    assert.deepEqual(parseEncryptionConfig(text, file), cfg);
  });

  test('rotate then drop the old keys leaves the new key and identity', () => {
    const first = initialConfig(new Date('2025-01-01T00:00:00Z'));
    const { cfg, key } = withNewKey(withNewKey(first, new Date('2025-02-01T00:00:00Z')).cfg, new Date('2025-03-01T00:00:00Z'));
    assert.deepEqual(keysOf(cfg).map((k) => k.name), ['aesgcmkey-20250301T000000Z', 'aesgcmkey-20250201T000000Z', 'aesgcmkey-20250101T000000Z']);
    const { cfg: pruned, removed } = withOnlyKeys(cfg, new Set([key.name]));
    assert.deepEqual(removed.map((k) => k.name), ['aesgcmkey-20250201T000000Z', 'aesgcmkey-20250101T000000Z']);
    assert.deepEqual(pruned.providers.map((p) => p.type), ['aesgcm', 'identity']);
    // Two rotations in one second get distinct names.
    assert.equal(withNewKey(cfg, new Date('2025-03-01T00:00:00Z')).key.name, 'aesgcmkey-20250301T000000Z-2');
  });

  test('mistakes are refused with the file, the field and what is allowed', () => {
    const doc = (providers: unknown, resources: unknown = ['secrets']): string => JSON.stringify({ kind: 'EncryptionConfiguration', apiVersion: 'apiserver.config.k8s.io/v1', resources: [{ resources, providers }] });
    const cases: [string, RegExp][] = [
      ['{', /encryption-config\.json: \(file\): not JSON or YAML/],
      [JSON.stringify({ kind: 'Secret', apiVersion: 'v1' }), /kind: must be EncryptionConfiguration/],
      [doc([{ identity: {} }], ['secrets', 'configmaps']), /resources\[0\]\.resources: must be \["secrets"\]: Lantern encrypts only Secrets/],
      [doc([{ secretbox: { keys: [{ name: 'k', secret: b64(32) }] } }]), /provider "secretbox" is not supported: use aesgcm, aescbc or identity/],
      [doc([{ aesgcm: { keys: [{ name: 'k', secret: b64(20) }] } }]), /providers\[0\]\.aesgcm\.keys\[0\]\.secret: must be the base64 of 16, 24 or 32 random bytes \(got 20 bytes\)/],
      [doc([{ aesgcm: { keys: [{ name: 'k', secret: 'not base64!' }] } }]), /keys\[0\]\.secret: must be the base64/],
      [doc([{ aesgcm: { keys: [{ name: 'a:b', secret: b64(32) }] } }]), /keys\[0\]\.name: "a:b" must be/],
      [doc([{ aesgcm: { keys: [{ name: 'k', secret: b64(32) }] } }, { aescbc: { keys: [{ name: 'k', secret: b64(32) }] } }]), /"k" is used twice/],
      [doc([{ aesgcm: { keys: [] } }]), /aesgcm\.keys: must list at least one key/],
      [doc([]), /providers: must list at least one provider/],
    ];
    for (const [text, expected] of cases) {
      assert.throws(() => parseEncryptionConfig(text, file), (e: Error) => { assert.match(e.message, expected); assert.ok(e.message.startsWith(`${file}: `)); return true; }, text);
    }
  });
});
