import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configMapKind } from './kinds/config-map.js';
import { secretKind } from './kinds/secret.js';
import { kinds } from './kinds/index.js';
import type { Secret } from './schema/config.js';

const cm = (extra: Record<string, unknown>): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, ...extra });
const secret = (extra: Record<string, unknown>): Secret => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...extra });

describe('ConfigMap and Secret kinds', () => {
  test('are served as configmaps and secrets', () => {
    assert.equal(kinds.get('configmaps')?.kind, 'ConfigMap');
    assert.equal(kinds.get('secrets')?.kind, 'Secret');
  });

  test('keys must be valid config keys, named by their field path', () => {
    assert.deepEqual(configMapKind.validate(cm({ data: { 'ok.key_1-x': 'v' } })), []);
    const causes = configMapKind.validate(cm({ data: { 'a/b': 'v' }, binaryData: { '..x': 'AA==' } }));
    assert.deepEqual(causes.map((c) => c.field), ['data[a/b]', 'binaryData[..x]']);
  });

  test('a key may not be in both data and binaryData; binaryData must be base64', () => {
    assert.deepEqual(configMapKind.validate(cm({ data: { k: 'v' }, binaryData: { k: 'AA==' } })).map((c) => c.message), ['duplicate of key "k" present in another data field']);
    assert.match(configMapKind.validate(cm({ binaryData: { k: '%%' } }))[0]!.message, /illegal base64/);
  });

  test('the data may total at most 1 MiB', () => {
    assert.deepEqual(configMapKind.validate(cm({ data: { k: 'x'.repeat(1024 * 1024 - 1) } })), []);
    const causes = configMapKind.validate(cm({ data: { k: 'x'.repeat(1024 * 1024) } }));
    assert.match(causes[0]!.message, /at most 1048576 bytes/);
    const big = Buffer.alloc(1024 * 1024).toString('base64');
    assert.match(secretKind.validate(secret({ data: { k: big } }))[0]!.message, /at most 1048576 bytes/);
  });

  test('stringData is merged into data as base64 at admission (it wins) and the type defaults to Opaque', () => {
    const s = secret({ data: { a: 'eA==', b: 'eQ==' }, stringData: { b: 'plain' } });
    assert.deepEqual(secretKind.validate(s), []);
    secretKind.applyDefaults(s);
    assert.deepEqual(s, secret({ type: 'Opaque', data: { a: 'eA==', b: Buffer.from('plain').toString('base64') } }));
  });

  test('an immutable object refuses data changes; a Secret\'s type cannot change', () => {
    const old = secret({ immutable: true, data: { a: 'eA==' } });
    assert.deepEqual(secretKind.validateUpdate!(old, secret({ immutable: true, data: { a: 'eA==' } })), []);
    assert.deepEqual(secretKind.validateUpdate!(old, secret({ immutable: true, data: { a: 'eQ==' } })).map((c) => c.field), ['data']);
    assert.deepEqual(secretKind.validateUpdate!(old, secret({ data: { a: 'eA==' } })).map((c) => c.field), ['immutable']);
    assert.deepEqual(secretKind.validateUpdate!(secret({ type: 'Opaque' }), secret({ type: 'kubernetes.io/tls' })).map((c) => c.field), ['type']);
    assert.deepEqual(configMapKind.validateUpdate!(cm({ immutable: true, data: { k: 'v' } }) as never, cm({ immutable: true, data: { k: 'w' } }) as never).map((c) => c.field), ['data']);
  });
});
