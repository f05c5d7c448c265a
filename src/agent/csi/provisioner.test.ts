import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classSecretRef } from '../../api/csi.js';
import type { PersistentVolumeClaim, StorageClass } from '../../api/storage.js';
import { provisionedVolume, nodeAffinityOf } from './provisioner.js';
import { bytesQuantity } from './quantity.js';
import { csiAccessMode } from '../volumes/csi-mounter.js';

const claim: PersistentVolumeClaim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'db', namespace: 'shop', uid: 'u1' }, spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'fast' } };
const sc: StorageClass = {
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'rbd.csi.example.com', reclaimPolicy: 'Retain', mountOptions: ['discard'],
  parameters: { pool: 'rbd', 'csi.storage.k8s.io/fstype': 'xfs', 'csi.storage.k8s.io/node-stage-secret-name': 'stage-${pvc.name}', 'csi.storage.k8s.io/node-stage-secret-namespace': '${pvc.namespace}',
    'csi.storage.k8s.io/provisioner-secret-name': 'prov', 'csi.storage.k8s.io/provisioner-secret-namespace': 'ceph' },
};

test('the PV written for a provisioned CSI volume has Kubernetes\' shape: csi source, secrets, claimRef, class, policy, topology', () => {
  const pv = provisionedVolume(claim, sc, 'rbd.csi.example.com', { volumeId: 'vol-1', capacityBytes: String(2 ** 30), volumeContext: { imageName: 'csi-vol-1' }, accessibleTopology: [{ segments: { 'topology.rbd/zone': 'a' } }] }, 'pvc-u1');
  assert.deepEqual(pv.spec.csi, { driver: 'rbd.csi.example.com', volumeHandle: 'vol-1', nodeStageSecretRef: { name: 'stage-db', namespace: 'shop' }, fsType: 'xfs', volumeAttributes: { imageName: 'csi-vol-1' } });
  assert.equal(pv.spec.capacity?.storage, '1Gi');
  assert.deepEqual(pv.spec.accessModes, ['ReadWriteMany']);
  assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(pv.spec.storageClassName, 'fast');
  assert.deepEqual(pv.spec.mountOptions, ['discard']);
  assert.deepEqual(pv.spec.claimRef, { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'shop', name: 'db', uid: 'u1' });
  assert.deepEqual(pv.spec.nodeAffinity, { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.rbd/zone', operator: 'In', values: ['a'] }] }] } });
  assert.equal(pv.metadata.annotations?.['volume.kubernetes.io/provisioner-deletion-secret-name'], 'prov');
  assert.equal(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'rbd.csi.example.com');
});

test('a volume accessible everywhere gets no nodeAffinity; sizes become exact binary quantities', () => {
  assert.equal(nodeAffinityOf([]), undefined);
  assert.equal(nodeAffinityOf([{ segments: {} }]), undefined);
  assert.equal(bytesQuantity(5 * 2 ** 20), '5Mi');
  assert.equal(bytesQuantity(1536), '1536');
  assert.equal(bytesQuantity(3 * 2 ** 40), '3Ti');
});

test('secret templates resolve for a claim and an unresolvable one names no secret', () => {
  assert.deepEqual(classSecretRef(sc.parameters, 'nodeStage', { 'pvc.name': 'db', 'pvc.namespace': 'shop' }), { name: 'stage-db', namespace: 'shop' });
  assert.equal(classSecretRef(sc.parameters, 'nodeStage'), undefined);
  assert.equal(classSecretRef(sc.parameters, 'nodePublish'), undefined);
});

test('access modes map to CSI\'s', () => {
  assert.equal(csiAccessMode(['ReadWriteOnce']), 'SINGLE_NODE_WRITER');
  assert.equal(csiAccessMode(['ReadOnlyMany']), 'MULTI_NODE_READER_ONLY');
  assert.equal(csiAccessMode(['ReadWriteMany']), 'MULTI_NODE_MULTI_WRITER');
});
