import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PersistentVolume } from '../../api/schema/storage.js';
import { LOCAL_PATH_PROVISIONER, LOCAL_PATH_USED_ANNOTATION, PROVISIONED_BY_ANNOTATION } from '../../api/storage.js';
import { isApiError } from '../../client/kit/index.js';
import { withTestApi } from '../../testing/api.js';
import { eventually } from '../../testing/eventually.js';
import { nodeClient } from '../../testing/node-client.js';
import { LocalPathReclaimer } from './local-path-reclaimer.js';
import { outsideRoot } from './reclaim-plan.js';

const dirs: string[] = [];
after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const volume = (name: string, node: string, dir: string, policy: 'Delete' | 'Retain' = 'Delete'): PersistentVolume => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, annotations: { [PROVISIONED_BY_ANNOTATION]: LOCAL_PATH_PROVISIONER } },
  spec: {
    capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: policy, storageClassName: 'local-path', local: { path: dir },
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } },
  },
});

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

describe('local-path reclaimer (node side of reclaim policy Delete)', () => {
  test('outsideRoot accepts only root/pvc-* one level down', () => {
    assert.equal(outsideRoot('/d/storage', '/d/storage/pvc-1_default_a'), undefined);
    for (const bad of ['/d/storage', '/d/storage/../etc', '/etc', '/d/storage/x/pvc-1', '/d/storage/other', 'rel/pvc-1', '/d/storage/pvc-1/..']) {
      assert.ok(outsideRoot('/d/storage', bad), bad);
    }
  });

  test('a released Delete volume of this node: its directory is removed, then the PV; Retain and other nodes\' volumes stay', () => withTestApi(async ({ api: admin }) => {
    const base = await mkdtemp(path.join(os.tmpdir(), 's1b-reclaim-'));
    dirs.push(base);
    const root = path.join(base, 'storage');
    const mk = async (n: string): Promise<string> => { const d = path.join(root, `pvc-${n}_default_${n}`); await mkdir(d, { recursive: true }); await writeFile(path.join(d, 'ibdata1'), 'rows'); return d; };
    const [del, keep, other] = [await mk('del'), await mk('keep'), await mk('other')];
    for (const pv of [volume('del', 'n1', del), volume('keep', 'n1', keep, 'Retain'), volume('other', 'n2', other)]) {
      const made = await admin.create<PersistentVolume>('persistentvolumes', pv);
      await admin.updateStatus('persistentvolumes', { ...made, status: { phase: 'Released' } });
    }
    const node = nodeClient(admin, 'n1');
    const r = new LocalPathReclaimer({ api: node, nodeName: 'n1', root, log: () => undefined });
    try {
      await r.start();
      await eventually('the Delete volume is gone', async () => !(await exists(del)) && await admin.get('persistentvolumes', 'del').then(() => false, (e: unknown) => isApiError(e, 'NotFound')));
      await r.idle();
      assert.equal(await readFile(path.join(keep, 'ibdata1'), 'utf8'), 'rows', 'Retain keeps the data');
      assert.equal(await readFile(path.join(other, 'ibdata1'), 'utf8'), 'rows', 'another node\'s volume is not this node\'s to delete');
      assert.equal((await admin.get<PersistentVolume>('persistentvolumes', 'other')).status?.phase, 'Released');
    } finally { r.stop(); }
  }));

  test('a Delete volume whose path is outside the storage root is never removed: it is marked Failed with why', () => withTestApi(async ({ api: admin }) => {
    const base = await mkdtemp(path.join(os.tmpdir(), 's1b-reclaim-'));
    dirs.push(base);
    const root = path.join(base, 'storage');
    const precious = path.join(base, 'precious');
    await mkdir(precious, { recursive: true });
    await writeFile(path.join(precious, 'keep'), 'x');
    await mkdir(root, { recursive: true });
    await symlink(precious, path.join(root, 'pvc-link'));
    for (const [n, d] of [['escape', precious], ['link', path.join(root, 'pvc-link')]] as const) {
      const made = await admin.create<PersistentVolume>('persistentvolumes', volume(n, 'n1', d));
      await admin.updateStatus('persistentvolumes', { ...made, status: { phase: 'Released' } });
    }
    const r = new LocalPathReclaimer({ api: nodeClient(admin, 'n1'), nodeName: 'n1', root, log: () => undefined });
    try {
      await r.start();
      const failed = await eventually('escape is Failed', async () => {
        const pv = await admin.get<PersistentVolume>('persistentvolumes', 'escape');
        return pv.status?.phase === 'Failed' ? pv : undefined;
      });
      assert.match(failed.status?.message ?? '', /not a directory directly under this node's storage root/);
      // A symlink in a volume's place: the link goes, what it points at stays.
      await eventually('the link volume is deleted', () => admin.get('persistentvolumes', 'link').then(() => false, (e: unknown) => isApiError(e, 'NotFound')));
      assert.equal(await readFile(path.join(precious, 'keep'), 'utf8'), 'x');
    } finally { r.stop(); }
  }));

  test('a Bound volume gets the bytes it uses reported on the PV', () => withTestApi(async ({ api: admin }) => {
    const base = await mkdtemp(path.join(os.tmpdir(), 's1b-reclaim-'));
    dirs.push(base);
    const root = path.join(base, 'storage');
    const d = path.join(root, 'pvc-used');
    await mkdir(d, { recursive: true });
    await writeFile(path.join(d, 'data'), Buffer.alloc(64 * 1024, 1));
    const made = await admin.create<PersistentVolume>('persistentvolumes', volume('used', 'n1', d));
    await admin.updateStatus('persistentvolumes', { ...made, status: { phase: 'Bound' } });
    const r = new LocalPathReclaimer({ api: nodeClient(admin, 'n1'), nodeName: 'n1', root, log: () => undefined });
    try {
      await r.start();
      const bytes = await eventually('used bytes reported', async () => (await admin.get<PersistentVolume>('persistentvolumes', 'used')).metadata.annotations?.[LOCAL_PATH_USED_ANNOTATION]);
      assert.ok(Number(bytes) >= 64 * 1024, bytes);
    } finally { r.stop(); }
  }));
});
