import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openTestApi, type TestApi } from '../src/testing/api.js';
import { eventually } from '../src/testing/eventually.js';
import { HostpathCsiDriver, HOSTPATH_TOPOLOGY_KEY } from '../src/testing/hostpath-csi/driver.js';
import type { Node } from '../src/api/node.js';
import { CSI_NODE_ID_ANNOTATION } from '../src/api/csi.js';
import { PROVISIONED_BY_ANNOTATION, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from '../src/api/storage.js';
import { PersistentVolumeController } from '../src/controllers/persistent-volume/index.js';
import { CsiNode } from '../src/agent/csi/csi-node.js';
import { forceUnmount, mountsUnder } from '../src/agent/csi/mount-util.js';

const DRIVER = 'hostpath.csi.lantern.dev';

describe('CSI provisioning on the node hosting the controller service', () => {
  let t: TestApi;
  let dir = '';
  let driver: HostpathCsiDriver;
  let csi: CsiNode;
  let binder: PersistentVolumeController;

  before(async () => {
    t = await openTestApi({ prefix: 's3csi-api-' });
    dir = await mkdtemp(path.join(os.tmpdir(), 's3csi-prov-'));
    await t.api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } }, spec: {} });
    driver = new HostpathCsiDriver({ root: path.join(dir, 'driver'), endpoint: path.join(dir, 'csi.sock'), registrationDir: path.join(dir, 'data', 'plugins_registry'), nodeId: 'node-a', requireSecret: { key: 'userKey', value: 'AQD-test' } });
    await driver.start();
    csi = new CsiNode({ api: t.api, nodeName: 'node-a', dataDir: path.join(dir, 'data'), log: () => undefined, rescanMs: 100 });
    await csi.start();
    binder = new PersistentVolumeController({ api: t.api, log: () => undefined });
    await binder.start();
    await t.api.create<StorageClass>('storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'hostpath-csi' }, provisioner: DRIVER, reclaimPolicy: 'Delete', allowVolumeExpansion: true, volumeBindingMode: 'Immediate',
      parameters: {
        'csi.storage.k8s.io/provisioner-secret-name': 'csi-${pvc.name}', 'csi.storage.k8s.io/provisioner-secret-namespace': '${pvc.namespace}',
        'csi.storage.k8s.io/node-stage-secret-name': 'csi-${pvc.name}', 'csi.storage.k8s.io/node-stage-secret-namespace': '${pvc.namespace}',
      } });
    await t.api.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'csi-data', namespace: 'default' }, data: { userKey: Buffer.from('AQD-test').toString('base64') } });
  });

  after(async () => {
    binder?.stop();
    csi?.stop();
    await driver?.stop();
    for (const m of (await mountsUnder(dir)).reverse()) await forceUnmount(m);
    await rm(dir, { recursive: true, force: true });
    await t?.close();
  });

  test('the node publishes its driver id and topology on its Node', async () => {
    const node = await eventually('annotation', async () => {
      const n = await t.api.get<Node>('nodes', 'node-a');
      return n.metadata.annotations?.[CSI_NODE_ID_ANNOTATION] ? n : undefined;
    });
    assert.deepEqual(JSON.parse(node.metadata.annotations![CSI_NODE_ID_ANNOTATION]!), { [DRIVER]: 'node-a' });
    assert.equal(node.metadata.labels?.[HOSTPATH_TOPOLOGY_KEY], 'node-a');
  });

  test('a claim of the class binds to a PV the driver created, grows, and its Delete reclaim removes the data', async () => {
    await t.api.create<PersistentVolumeClaim>('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { storageClassName: 'hostpath-csi', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } } });
    const claim = await eventually('claim bound', async () => {
      const c = await t.api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'data', 'default');
      return c.status?.phase === 'Bound' ? c : undefined;
    });
    const pv = await t.api.get<PersistentVolume>('persistentvolumes', claim.spec.volumeName!);
    assert.equal(pv.spec.csi?.driver, DRIVER);
    assert.equal(pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION], DRIVER);
    assert.equal(pv.spec.capacity?.storage, '1Mi');
    assert.deepEqual(pv.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions, [{ key: HOSTPATH_TOPOLOGY_KEY, operator: 'In', values: ['node-a'] }]);
    const handle = pv.spec.csi!.volumeHandle;
    assert.ok(existsSync(path.join(dir, 'driver', 'volumes', handle)));
    assert.deepEqual(pv.spec.csi?.nodeStageSecretRef, { name: 'csi-data', namespace: 'default' }, 'the class\'s templated secret resolved for the claim');
    // NodeStage gets the secret the PV names (the driver refuses without it).
    const v = { pvName: pv.metadata.name, pv, claim: { namespace: 'default', name: 'data' }, readOnly: false };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u-secret' }, spec: { containers: [] } } as never;
    await csi.mounter.mount(v, pod);
    await csi.mounter.unmount(v, pod);

    await t.api.update<PersistentVolumeClaim>('persistentvolumeclaims', { ...claim, spec: { ...claim.spec, resources: { requests: { storage: '4Mi' } } } });
    await eventually('claim grown', async () => (await t.api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'data', 'default')).status?.capacity?.storage === '4Mi');
    assert.ok(driver.calls.includes('ControllerExpandVolume'));

    await t.api.delete('persistentvolumeclaims', 'data', 'default');
    await eventually('PV and data gone', async () => !existsSync(path.join(dir, 'driver', 'volumes', handle)) && !(await t.api.get('persistentvolumes', pv.metadata.name).catch(() => undefined)));
    assert.ok(driver.calls.includes('DeleteVolume'));
  });
});
