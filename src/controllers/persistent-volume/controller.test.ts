import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { Event } from '../../api/schema/event.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/schema/storage.js';
import { NODE_STORAGE_DIR_ANNOTATION, SELECTED_NODE_ANNOTATION } from '../../api/storage.js';
import type { ApiClient } from '../../client/types.js';
import { isApiError } from '../../client/kit/index.js';
import { withTestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { PersistentVolumeController } from './controller.js';
import { ProvisioningError, type Provisioner } from './provisioner.js';
import { ensureDefaultStorageClass } from './default-class.js';
import { PvcProtectionController } from '../pvc-protection/controller.js';

const claim = (name: string, size: string, extra: Partial<PersistentVolumeClaim['spec']> = {}): PersistentVolumeClaim =>
  ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...extra } });
const hostPathPV = (name: string, size: string, extra: Partial<PersistentVolume['spec']> = {}): PersistentVolume =>
  ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce', 'ReadWriteMany'], storageClassName: 'manual', hostPath: { path: `/srv/${name}` }, ...extra } });
const getClaim = (api: ApiClient, name: string): Promise<PersistentVolumeClaim> => api.get('persistentvolumeclaims', name, 'default');
const getPV = (api: ApiClient, name: string): Promise<PersistentVolume> => api.get('persistentvolumes', name, undefined);
const reasons = async (api: ApiClient, name: string): Promise<string[]> =>
  (await api.list<Event>('events', 'default')).items.filter((e) => e.involvedObject.name === name).map((e) => `${e.type ?? ''}:${e.reason ?? ''}`);
const controller = (api: ApiClient): PersistentVolumeController => new PersistentVolumeController({ api, clock: new ManualClock() });

describe('PersistentVolume controller', () => {
  test('static binding picks the smallest Available volume that fits class, access modes and size; both sides say Bound', () => withTestApi(async ({ api }) => {
    for (const [n, s] of [['big', '10Gi'], ['small', '1Gi'], ['fits', '2Gi']] as const) await api.create('persistentvolumes', hostPathPV(n, s));
    await api.create('persistentvolumeclaims', claim('data', '1500Mi', { storageClassName: 'manual', accessModes: ['ReadWriteMany'] }));
    const c = controller(api);
    await c.reconcile('pvc:default/data');
    const bound = await getClaim(api, 'data');
    assert.equal(bound.spec.volumeName, 'fits');
    assert.deepEqual([bound.status?.phase, bound.status?.capacity?.storage], ['Bound', '2Gi']);
    const pv = await getPV(api, 'fits');
    assert.deepEqual([pv.status?.phase, pv.spec.claimRef?.name, pv.spec.claimRef?.uid], ['Bound', 'data', bound.metadata.uid]);
  }));

  test('a claim of an unknown class stays Pending with a Warning event that names the class', () => withTestApi(async ({ api }) => {
    await api.create('persistentvolumeclaims', claim('lost', '1Gi', { storageClassName: 'gold' }));
    await controller(api).reconcile('pvc:default/lost');
    assert.equal((await getClaim(api, 'lost')).status?.phase ?? 'Pending', 'Pending');
    assert.ok((await reasons(api, 'lost')).includes('Warning:ProvisioningFailed'));
  }));

  test('the default class local-path: a claim gets it, waits for its first consumer, then is provisioned on the selected node', () => withTestApi(async ({ api }) => {
    await ensureDefaultStorageClass(api);
    assert.equal((await api.get<StorageClass>('storageclasses', 'local-path', undefined)).volumeBindingMode, 'WaitForFirstConsumer');
    await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', annotations: { [NODE_STORAGE_DIR_ANNOTATION]: '/var/lib/lantern/storage' } } } as Node);
    await api.create('persistentvolumeclaims', claim('nvme-pvc', '1Gi'));
    const c = controller(api);
    await c.reconcile('pvc:default/nvme-pvc');
    let pvc = await getClaim(api, 'nvme-pvc');
    assert.equal(pvc.spec.storageClassName, 'local-path');
    await c.reconcile('pvc:default/nvme-pvc');
    assert.ok((await reasons(api, 'nvme-pvc')).includes('Normal:WaitForFirstConsumer'));
    pvc = await getClaim(api, 'nvme-pvc');
    await api.update('persistentvolumeclaims', { ...pvc, metadata: { ...pvc.metadata, annotations: { [SELECTED_NODE_ANNOTATION]: 'n1' } } });
    await c.reconcile('pvc:default/nvme-pvc');
    pvc = await getClaim(api, 'nvme-pvc');
    assert.equal(pvc.status?.phase, 'Bound');
    const pv = await getPV(api, pvc.spec.volumeName ?? '');
    assert.equal(pv.spec.local?.path, `/var/lib/lantern/storage/pvc-${pvc.metadata.uid ?? ''}_default_nvme-pvc`);
    assert.deepEqual(pv.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchFields?.[0]?.values, ['n1']);
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete');
  }));

  test('reclaim: Retain leaves the volume Released with its data; Delete of a static volume marks it Failed, never deletes data', () => withTestApi(async ({ api }) => {
    await api.create('persistentvolumes', hostPathPV('keep', '1Gi'));
    await api.create('persistentvolumes', hostPathPV('gone', '1Gi', { persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'other' }));
    await api.create('persistentvolumeclaims', claim('a', '1Gi', { storageClassName: 'manual' }));
    await api.create('persistentvolumeclaims', claim('b', '1Gi', { storageClassName: 'other' }));
    const c = controller(api);
    await c.reconcile('pvc:default/a');
    await c.reconcile('pvc:default/b');
    await api.delete('persistentvolumeclaims', 'a', 'default');
    await api.delete('persistentvolumeclaims', 'b', 'default');
    await c.reconcile('pv:keep');
    await c.reconcile('pv:gone');
    assert.equal((await getPV(api, 'keep')).status?.phase, 'Released');
    assert.equal((await getPV(api, 'gone')).status?.phase, 'Failed');
  }));

  test('expansion: a bigger request grows the volume where the class allows it, and is refused with an event where it does not', () => withTestApi(async ({ api }) => {
    await api.create('storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner', allowVolumeExpansion: true });
    await api.create('persistentvolumes', hostPathPV('grow', '1Gi'));
    await api.create('persistentvolumes', hostPathPV('fixed', '1Gi', { storageClassName: 'fixed' }));
    await api.create('persistentvolumeclaims', claim('g', '1Gi', { storageClassName: 'manual' }));
    await api.create('persistentvolumeclaims', claim('f', '1Gi', { storageClassName: 'fixed' }));
    const c = controller(api);
    for (const n of ['g', 'f']) await c.reconcile(`pvc:default/${n}`);
    for (const n of ['g', 'f']) {
      const cur = await getClaim(api, n);
      await api.update('persistentvolumeclaims', { ...cur, spec: { ...cur.spec, resources: { requests: { storage: '3Gi' } } } });
      await c.reconcile(`pvc:default/${n}`);
      await c.reconcile(`pvc:default/${n}`);
    }
    assert.equal((await getPV(api, 'grow')).spec.capacity?.storage, '3Gi');
    assert.equal((await getClaim(api, 'g')).status?.capacity?.storage, '3Gi');
    assert.equal((await getPV(api, 'fixed')).spec.capacity?.storage, '1Gi');
    assert.ok((await reasons(api, 'f')).includes('Warning:ExternalExpanding'));
    const g = await getClaim(api, 'g');
    await assert.rejects(api.update('persistentvolumeclaims', { ...g, spec: { ...g.spec, resources: { requests: { storage: '1Gi' } } } }),
      (e: unknown) => isApiError(e, 'Invalid') && String((e as Error).message).includes('spec.resources.requests.storage'));
  }));

  test('pvc-protection: a claim used by a live pod stays (Terminating) until the pod is gone', () => withTestApi(async ({ api }) => {
    await api.create('persistentvolumeclaims', claim('held', '1Gi', { storageClassName: 'manual' }));
    await api.create<Pod>('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db' }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'held' } }] } });
    const p = new PvcProtectionController({ api, clock: new ManualClock() });
    await p.reconcile('pvc:default/held');
    await api.delete('persistentvolumeclaims', 'held', 'default');
    await p.reconcile('pvc:default/held');
    const terminating = await getClaim(api, 'held');
    assert.ok(terminating.metadata.deletionTimestamp, 'the claim is marked, not gone');
    await api.delete('pods', 'db', 'default');
    await p.reconcile('pvc:default/held');
    await assert.rejects(getClaim(api, 'held'), (e: unknown) => isApiError(e, 'NotFound'));
  }));

  test('bad input is refused with the field path: no source, a size that does not read, a local volume without nodeAffinity', () => withTestApi(async ({ api }) => {
    const bad = async (resource: string, obj: object, field: string): Promise<void> => {
      await assert.rejects(api.create(resource, obj as PersistentVolume), (e: unknown) => isApiError(e, 'Invalid') && String((e as Error).message).includes(field), field);
    };
    await bad('persistentvolumes', { ...hostPathPV('x', '1Gi'), spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }, 'spec');
    await bad('persistentvolumes', hostPathPV('y', 'lots'), 'spec.capacity.storage');
    await bad('persistentvolumes', { ...hostPathPV('z', '1Gi'), spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/d' } } }, 'spec.nodeAffinity');
    await bad('persistentvolumeclaims', claim('c', '-1Gi'), 'spec.resources.requests.storage');
    await bad('persistentvolumeclaims', { ...claim('m', '1Gi'), spec: { resources: { requests: { storage: '1Gi' } } } }, 'spec.accessModes');
  }));
  test('a provisioning failure that passes (a server still starting) is retried: the claim binds on a later round', () => withTestApi(async ({ api }) => {
    let calls = 0;
    const flaky: Provisioner = {
      name: 'test.lantern.dev/flaky',
      provision: () => { calls++; if (calls === 1) throw new ProvisioningError('server not answering yet'); return Promise.resolve({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/srv/flaky' } }); },
      delete: () => Promise.resolve('deleted'),
    };
    await api.create('storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'flaky' }, provisioner: flaky.name, volumeBindingMode: 'Immediate' });
    await api.create('persistentvolumeclaims', claim('retry', '1Gi', { storageClassName: 'flaky' }));
    const c = new PersistentVolumeController({ api, clock: new ManualClock(), provisioners: [flaky] });
    // The failing round throws, so the work queue puts the claim back with back-off instead of forgetting it.
    await assert.rejects(c.reconcile('pvc:default/retry'), /server not answering yet/);
    assert.ok((await reasons(api, 'retry')).includes('Warning:ProvisioningFailed'));
    await c.reconcile('pvc:default/retry');
    assert.equal((await getClaim(api, 'retry')).status?.phase, 'Bound');
  }));
});
