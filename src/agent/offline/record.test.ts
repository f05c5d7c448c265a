import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pod } from '../../api/pod.js';
import type { ApiObject } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import { NodeRecord } from './record.js';
import { Sealer } from './seal.js';
import { isUnreachable } from './unreachable.js';

const pod = (uid: string, rv: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${uid}`, namespace: 'default', uid, resourceVersion: rv }, spec: { nodeName: 'edge', containers: [{ name: 'c', image: 'busybox' }] } });
const secret = (name: string, value: string): ApiObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'edge' }, data: { password: Buffer.from(value).toString('base64') } } as ApiObject);

describe('offline record', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'h3-record-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('keeps the newest copy of each pod, 0600, and forgets deleted ones', async () => {
    const rec = await NodeRecord.open(path.join(dir, 'a'));
    // Queued in order: the older copy never lands after the newer one.
    void rec.savePod(pod('u1', '5'));
    void rec.savePod(pod('u1', '7'));
    await rec.savePod(pod('u2', '6'));
    await rec.flushed();
    const pods = await rec.pods();
    assert.deepEqual(pods.map((p) => [p.metadata.uid, p.metadata.resourceVersion]).sort(), [['u1', '7'], ['u2', '6']]);
    assert.equal((await stat(path.join(dir, 'a/pods/u1.json'))).mode & 0o777, 0o600);
    assert.equal((await stat(path.join(dir, 'a/key'))).mode & 0o777, 0o600);
    await rec.forgetPod('u2');
    assert.deepEqual((await rec.pods()).map((p) => p.metadata.uid), ['u1']);
    // No temporary file is left behind.
    assert.deepEqual(await readdir(path.join(dir, 'a/pods')), ['u1.json']);
  });

  test('a torn or foreign pod file is skipped, and a uid that could name a path is never written', async () => {
    const rec = await NodeRecord.open(path.join(dir, 'b'));
    await rec.savePod(pod('ok', '1'));
    await writeFile(path.join(dir, 'b/pods/torn.json'), '{"metadata":');
    await rec.savePod(pod('../../escape', '1'));
    assert.deepEqual((await rec.pods()).map((p) => p.metadata.uid), ['ok']);
    assert.deepEqual((await readdir(dir)).sort(), ['a', 'b']);
  });

  test('Secrets are sealed on disk and read back by the same node; ConfigMaps are plain', async () => {
    const rec = await NodeRecord.open(path.join(dir, 'c'));
    await rec.saveObject('secrets', secret('db', 'hunter2-very-secret'));
    await rec.saveObject('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'edge' }, data: { mode: 'fast' } } as ApiObject);
    const raw = await readFile(path.join(dir, 'c/secrets/edge_db.json'));
    assert.ok(!raw.includes(Buffer.from('hunter2')) && !raw.includes(Buffer.from(Buffer.from('hunter2-very-secret').toString('base64'))), 'the secret value must not be on disk in clear');
    const back = await rec.object<ApiObject & { data: Record<string, string> }>('secrets', 'edge', 'db');
    assert.equal(Buffer.from(back?.data.password ?? '', 'base64').toString(), 'hunter2-very-secret');
    assert.equal((await rec.object<ApiObject & { data: Record<string, string> }>('configmaps', 'edge', 'cfg'))?.data.mode, 'fast');
    assert.equal(await rec.object('secrets', 'edge', 'missing'), undefined);
    // Reopened (the agent restarted): the same key file opens it.
    const again = await NodeRecord.open(path.join(dir, 'c'));
    assert.ok(await again.object('secrets', 'edge', 'db'));
    await again.prune((resource, _ns, name) => resource === 'secrets' && name === 'db');
    assert.equal(await again.object('configmaps', 'edge', 'cfg'), undefined);
    assert.ok(await again.object('secrets', 'edge', 'db'));
  });

  test('another key cannot open a sealed Secret, nor can it be moved to another name', async () => {
    const rec = await NodeRecord.open(path.join(dir, 'd'));
    await rec.saveObject('secrets', secret('db', 'x'));
    const sealed = await readFile(path.join(dir, 'd/secrets/edge_db.json'));
    const other = await Sealer.open(path.join(dir, 'other-key'));
    assert.throws(() => other.unseal(sealed, 'secrets/edge/db'));
    const own = await Sealer.open(path.join(dir, 'd/key'));
    assert.throws(() => own.unseal(sealed, 'secrets/edge/other'));
    assert.ok(own.unseal(sealed, 'secrets/edge/db').length > 0);
    await writeFile(path.join(dir, 'bad-key'), 'short');
    await assert.rejects(Sealer.open(path.join(dir, 'bad-key')), /not a 32-byte key/);
  });

  test('unreachable: connection failures, not answers', () => {
    assert.equal(isUnreachable(new ApiError('Unavailable', 'cannot connect')), true);
    assert.equal(isUnreachable(Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH' })), true);
    assert.equal(isUnreachable(new ApiError('Forbidden', 'no')), false);
    assert.equal(isUnreachable(new ApiError('NotFound', 'gone')), false);
  });
});
