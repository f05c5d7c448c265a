import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../api/errors.js';
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import type { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { withTestApi, type TestApi } from '../../testing/api.js';
import { eventually } from '../../testing/eventually.js';
import type { ApiService } from '../api-service.js';
import { encryptionConfigPath, SecretsEncryption } from './secrets-encryption.js';

interface Secret extends ApiObject { data?: Record<string, string> }
const secret = (name: string, value: string): Secret => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { pw: Buffer.from(value).toString('base64') } });
const pwOf = (s: Secret): string => Buffer.from(s.data?.pw ?? '', 'base64').toString();

interface Env { dir: string; file: string; store: SqliteStore; apiWith: TestApi['apiWith']; open(enabled: boolean): Promise<{ enc: SecretsEncryption; api: ApiService }> }

/** A fresh SQLite store and data dir; open() builds the encryption and an ApiService over the store. */
async function withEnv(fn: (env: Env) => Promise<void>): Promise<void> {
  await withTestApi(async ({ dir, store, apiWith }) => {
    const file = encryptionConfigPath(dir);
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const open = async (enabled: boolean): Promise<{ enc: SecretsEncryption; api: ApiService }> => {
      const enc = await SecretsEncryption.open({ store, file, enabled, now: () => new Date(clock += 60_000) });
      return { enc, api: apiWith({ transformers: enc.transformers() }) };
    };
    await fn({ dir, file, store, apiWith, open });
  }, { prefix: 'lantern-secrets-enc-' });
}

/** The raw stored value of a secret. */
async function raw(store: SqliteStore, name: string): Promise<string> {
  return (await store.get(`/registry/secrets/default/${name}`))?.value ?? assert.fail(`no stored ${name}`);
}

const rejectsWith = (code: ApiError['code'], message: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof ApiError, String(e));
  assert.equal(e.code, code, e.message);
  assert.match(e.message, message);
  return true;
};

describe('SecretsEncryption with ApiService over a real SQLite store', { timeout: 60_000 }, () => {
  test('on: the keys file is made 0600; Secrets are stored encrypted and every read path decrypts them', () => withEnv(async ({ file, store, open }) => {
    const { enc, api } = await open(true);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(await enc.startupWarning(), undefined);
    assert.equal((await stat(join(file, '..'))).mode & 0o777, 0o700);
    const key = (await enc.status()).currentKey.name!;
    // Other kinds are untouched.
    await api.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'plain-config' } } as ApiObject);
    assert.match((await store.get('/registry/configmaps/default/c'))!.value, /plain-config/);
    const from = await store.currentRevision(); // > 0: a watch from 0 would mean "list, then from now"
    const created = await api.create<Secret>('secrets', secret('db', 'p4ssw0rd-one'));
    assert.equal(pwOf(created), 'p4ssw0rd-one');
    const stored = await raw(store, 'db');
    assert.ok(stored.startsWith(`k8s:enc:aesgcm:v1:${key}:`));
    assert.ok(!stored.includes('p4ssw0rd') && !stored.includes(Buffer.from('p4ssw0rd-one').toString('base64')));

    assert.equal(pwOf(await api.get<Secret>('secrets', 'db', 'default')), 'p4ssw0rd-one');
    assert.deepEqual((await api.list<Secret>('secrets', 'default')).items.map(pwOf), ['p4ssw0rd-one']);
    const updated = await api.update<Secret>('secrets', { ...created, data: { pw: Buffer.from('p4ssw0rd-two').toString('base64') } });
    assert.equal(pwOf(updated), 'p4ssw0rd-two');
    // A watch replaying history (puts, with and without a selector) and a delete's answer decrypt too.
    const seen: string[] = [];
    const w = api.watch<Secret>('secrets', 'default', { resourceVersion: String(from) }, (e) => { seen.push(`${e.type} ${pwOf(e.object)}`); });
    const ws: string[] = [];
    const w2 = api.watch<Secret>('secrets', 'default', { resourceVersion: String(from), fieldSelector: 'metadata.name=db' }, (e) => { ws.push(`${e.type} ${pwOf(e.object)}`); });
    assert.equal(pwOf(await api.delete<Secret>('secrets', 'db', 'default')), 'p4ssw0rd-two');
    await eventually(() => `watch events so far: ${JSON.stringify([seen, ws])}`, () => seen.length === 3 && ws.length === 3, { timeoutMs: 10_000, intervalMs: 5 });
    w.stop(); w2.stop();
    assert.deepEqual(seen, ['ADDED p4ssw0rd-one', 'MODIFIED p4ssw0rd-two', 'DELETED p4ssw0rd-two']);
    assert.deepEqual(ws, seen);
  }));

  test('rotate-keys: new writes use the new key, older Secrets stay readable; reencrypt moves all and drops the old key', () => withEnv(async ({ file, store, open }) => {
    const { enc, api } = await open(true);
    const first = (await enc.status()).currentKey.name!;
    await api.create('secrets', secret('a', 'alpha'));
    await api.create('secrets', secret('b', 'bravo'));
    const from = await store.currentRevision();
    const rotated = await enc.rotateKeys();
    const second = rotated.key.name;
    assert.notEqual(second, first);
    assert.equal(rotated.status.currentKey.name, second);
    // The running service uses the new key at once, and the file holds both keys, new first.
    await api.create('secrets', secret('c', 'charlie'));
    assert.ok((await raw(store, 'c')).startsWith(`k8s:enc:aesgcm:v1:${second}:`));
    assert.ok((await raw(store, 'a')).startsWith(`k8s:enc:aesgcm:v1:${first}:`));
    assert.deepEqual((await api.list<Secret>('secrets')).items.map(pwOf), ['alpha', 'bravo', 'charlie']);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')).resources[0].providers[0].aesgcm.keys.map((k: { name: string }) => k.name), [second, first]);
    const mid = await enc.status();
    assert.equal(mid.stage, 'rotated');
    assert.deepEqual(mid.secrets, { total: 3, current: 1, olderKeys: 2, plain: 0, unknownKeys: 0 });
    assert.deepEqual(mid.keys.map((k) => [k.name, k.active, k.secrets]), [[second, true, 1], [first, false, 2]]);

    const done = await enc.reencrypt();
    assert.equal(done.rewritten, 2);
    assert.deepEqual(done.removedKeys, [first]);
    for (const n of ['a', 'b', 'c']) assert.ok((await raw(store, n)).startsWith(`k8s:enc:aesgcm:v1:${second}:`), n);
    assert.deepEqual((await api.list<Secret>('secrets')).items.map(pwOf), ['alpha', 'bravo', 'charlie']);
    assert.equal(done.status.stage, 'start');
    assert.deepEqual(done.status.secrets, { total: 3, current: 3, olderKeys: 0, plain: 0, unknownKeys: 0 });
    assert.deepEqual(done.status.keys.map((k) => k.name), [second]);
    assert.ok(!(await readFile(file, 'utf8')).includes(first));
    // The history that still held values under the old key is compacted: a resume from before is 410 Gone.
    assert.equal(done.compactedTo, await store.currentRevision());
    const w = api.watch('secrets', undefined, { resourceVersion: String(from) }, () => {});
    await assert.rejects(w.done, rejectsWith('Gone', /too old resource version/));
  }));

  test('reencrypt keeping the old keys (k3s --skip): stage reencrypt_finished, both keys still decrypt', () => withEnv(async ({ open }) => {
    const { enc, api } = await open(true);
    await api.create('secrets', secret('a', 'alpha'));
    await enc.rotateKeys();
    const r = await enc.reencrypt({ keepOldKeys: true });
    assert.equal(r.rewritten, 1);
    assert.deepEqual(r.removedKeys, []);
    assert.equal(r.status.stage, 'reencrypt_finished');
    assert.equal(r.status.keys.length, 2);
    // Nothing left to do: a second reencrypt rewrites nothing and compacts nothing.
    const again = await enc.reencrypt({ keepOldKeys: true });
    assert.equal(again.rewritten, 0);
    assert.equal(again.compactedTo, undefined);
  }));

  test('off: stored as before, no keys file; turned on later new writes are encrypted and reencrypt converts the older ones', () => withEnv(async ({ file, store, open }) => {
    const off = await open(false);
    await off.api.create('secrets', secret('old', 'plain-old'));
    assert.match(await raw(store, 'old'), /^\{"apiVersion":"v1","kind":"Secret"/);
    const s0 = await off.enc.status();
    assert.equal(s0.enabled, false);
    assert.deepEqual(s0.currentKey, { type: 'identity' });
    assert.equal(s0.stage, 'start');
    assert.deepEqual(s0.configFile, { path: file, exists: false, inUse: true });
    await assert.rejects(off.enc.rotateKeys(), rejectsWith('BadRequest', /secrets encryption is off: restart lanternd server with --secrets-encryption/));
    await assert.rejects(stat(file));

    const on = await open(true);
    await on.api.create('secrets', secret('new', 'fresh-new'));
    assert.match(await raw(store, 'new'), /^k8s:enc:aesgcm:v1:/);
    assert.deepEqual((await on.api.list<Secret>('secrets')).items.map(pwOf), ['fresh-new', 'plain-old']);
    const s1 = await on.enc.status();
    assert.equal(s1.stage, 'rotated');
    assert.deepEqual(s1.secrets, { total: 2, current: 1, olderKeys: 0, plain: 1, unknownKeys: 0 });
    const r = await on.enc.reencrypt();
    assert.equal(r.rewritten, 1);
    assert.match(await raw(store, 'old'), /^k8s:enc:aesgcm:v1:/);
    assert.equal(r.status.stage, 'start');
  }));

  test('turned off again: the keys still decrypt, new writes are plain, reencrypt stores everything plain', () => withEnv(async ({ file, store, open }) => {
    const on = await open(true);
    await on.api.create('secrets', secret('a', 'alpha'));
    const off = await open(false);
    assert.equal(pwOf(await off.api.get<Secret>('secrets', 'a', 'default')), 'alpha');
    await off.api.create('secrets', secret('b', 'bravo'));
    assert.match(await raw(store, 'b'), /^\{/);
    const s = await off.enc.status();
    assert.deepEqual([s.enabled, s.stage, s.secrets.current, s.secrets.olderKeys], [false, 'rotated', 1, 1]);
    const r = await off.enc.reencrypt();
    assert.equal(r.rewritten, 1);
    assert.deepEqual(r.removedKeys, []);
    assert.match(await raw(store, 'a'), /^\{/);
    assert.equal(r.status.secrets.plain, 2);
    assert.ok((await stat(file)).isFile()); // kept: it is what reads older backups
  }));

  test('a Secret under a key the server does not have: reads and watches fail naming the key, the file and what to do', () => withEnv(async ({ dir, store, apiWith, open }) => {
    const { api: writer } = await open(true);
    // Another keys file for the same store: as if the file had been replaced.
    const other = await SecretsEncryption.open({ store, file: join(dir, 'other.json'), enabled: true, now: () => new Date('2030-01-01T00:00:00Z') });
    const reader = apiWith({ transformers: other.transformers() });
    const events: WatchEvent<ApiObject>[] = [];
    const w = reader.watch('secrets', undefined, { resourceVersion: String(await store.currentRevision()) }, (e) => events.push(e));
    await writer.create('secrets', secret('x', 'xray'));
    const missing = /cannot read \/registry\/secrets\/default\/x: it is encrypted with aesgcm key "aesgcmkey-\S+", which is not in \S+other\.json; put that key back into the file and restart lanternd server/;
    await assert.rejects(w.done, rejectsWith('Internal', missing));
    assert.deepEqual(events, []);
    await assert.rejects(reader.get('secrets', 'x', 'default'), rejectsWith('Internal', missing));
    await assert.rejects(reader.list('secrets'), rejectsWith('Internal', missing));
    const s = await other.status();
    assert.equal(s.secrets.unknownKeys, 1);
    assert.match(await other.startupWarning() ?? '', /^1 of 1 Secrets are encrypted with keys that are not in \S+other\.json: they cannot be read until those keys are put back/);
    await assert.rejects(other.reencrypt(), rejectsWith('Internal', missing));
  }));

  test('a keys file edited since the server read it is not overwritten', () => withEnv(async ({ file, open }) => {
    const { enc } = await open(true);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"identity": {}', '"identity": {} '));
    assert.equal((await enc.status()).configFile.inUse, false);
    await assert.rejects(enc.rotateKeys(), rejectsWith('Conflict', /was changed on disk since lanternd server read it: restart lanternd server/));
    await assert.rejects(enc.reencrypt(), rejectsWith('Conflict', /changed on disk/));
  }));
});
