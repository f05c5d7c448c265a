import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import { CSI_NODE_ID_ANNOTATION } from '../../api/csi.js';
import type { PersistentVolume } from '../../api/schema/storage.js';
import { agentNode, apiError, withNodes, type Kit } from './testkit.js';

async function hosting(kit: Kit, name: string, drivers: Record<string, string>): Promise<Node> {
  const created = await kit.as(name).create('nodes', agentNode(name, {}));
  return kit.as(name).update<Node>('nodes', { ...created, metadata: { ...created.metadata, annotations: { ...created.metadata.annotations, [CSI_NODE_ID_ANNOTATION]: JSON.stringify(drivers) } } });
}

const csiPv = (name: string, driver: string, handle = `h-${name}`): PersistentVolume => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': driver } },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', csi: { driver, volumeHandle: handle } },
});

describe('node restriction: CSI volumes and the csi.volume.kubernetes.io/nodeid annotation', () => {
  test('a node creates, grows and deletes PVs of a CSI driver it hosts', () => withNodes(async (kit) => {
    await hosting(kit, 'n1', { 'hostpath.csi.lantern.dev': 'n1' });
    const pv = await kit.as('n1').create<PersistentVolume>('persistentvolumes', csiPv('pv-a', 'hostpath.csi.lantern.dev'));
    const grown = await kit.as('n1').update<PersistentVolume>('persistentvolumes', { ...pv, spec: { ...pv.spec, capacity: { storage: '2Gi' } } });
    assert.equal(grown.spec.capacity?.storage, '2Gi');
    await kit.as('n1').delete('persistentvolumes', 'pv-a');
  }));

  test('another node may not create, change or delete PVs of a driver it does not host', () => withNodes(async (kit) => {
    await hosting(kit, 'n1', { 'hostpath.csi.lantern.dev': 'n1' });
    await hosting(kit, 'n2', { 'other.csi.example.com': 'n2' });
    await assert.rejects(kit.as('n2').create('persistentvolumes', csiPv('pv-b', 'hostpath.csi.lantern.dev')), apiError('Forbidden', /not registered on node n2/, 'spec.csi.driver'));
    const pv = await kit.admin.create<PersistentVolume>('persistentvolumes', csiPv('pv-c', 'hostpath.csi.lantern.dev'));
    await assert.rejects(kit.as('n2').update('persistentvolumes', { ...pv, spec: { ...pv.spec, capacity: { storage: '9Gi' } } }), apiError('Forbidden', /not registered on node n2/));
    await assert.rejects(kit.as('n2').delete('persistentvolumes', 'pv-c'), apiError('Forbidden', /not registered on node n2/));
    // Nor turn it into its own driver's volume, nor point it at other data.
    await assert.rejects(kit.as('n1').update('persistentvolumes', { ...pv, spec: { ...pv.spec, csi: { driver: 'hostpath.csi.lantern.dev', volumeHandle: 'someone-elses' } } }), apiError('Forbidden', /may not change/, 'spec.csi.volumeHandle'));
    assert.equal((await kit.admin.get<PersistentVolume>('persistentvolumes', 'pv-c')).spec.capacity?.storage, '1Gi');
  }));

  test('a node may not create a non-CSI PV that is not pinned to it', () => withNodes(async (kit) => {
    await hosting(kit, 'n1', { 'hostpath.csi.lantern.dev': 'n1' });
    await assert.rejects(kit.as('n1').create('persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'nfs-1' }, spec: { capacity: { storage: '1Gi' }, nfs: { server: '10.0.0.1', path: '/x' } } }), apiError('Forbidden'));
  }));

  test('a malformed driver list on the Node is refused with the field and what is expected', () => withNodes(async (kit) => {
    const n = await kit.as('n1').create<Node>('nodes', agentNode('n1', {}));
    const field = `metadata.annotations.${CSI_NODE_ID_ANNOTATION}`;
    const put = (v: string): Promise<Node> => kit.as('n1').update<Node>('nodes', { ...n, metadata: { ...n.metadata, annotations: { [CSI_NODE_ID_ANNOTATION]: v } } });
    await assert.rejects(put('[1,2]'), apiError('Forbidden', /JSON object of CSI driver name to node id/, field));
    await assert.rejects(put(JSON.stringify({ 'bad name!': 'x' })), apiError('Forbidden', /DNS-style name/, field));
    await assert.rejects(put(JSON.stringify({ 'ok.driver': '' })), apiError('Forbidden', /1-256 printable/, field));
  }));

  test('a node reads the secrets its CSI drivers\' classes and volumes name, and no other node does', () => withNodes(async (kit) => {
    await hosting(kit, 'n1', { 'rbd.csi.example.com': 'n1' });
    await hosting(kit, 'n2', { 'other.csi.example.com': 'n2' });
    const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, data: { key: Buffer.from('k').toString('base64') } });
    for (const n of ['prov', 'stage', 'unrelated']) await kit.admin.create('secrets', secret(n));
    await kit.admin.create('storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'rbd' }, provisioner: 'rbd.csi.example.com',
      parameters: { 'csi.storage.k8s.io/provisioner-secret-name': 'prov', 'csi.storage.k8s.io/provisioner-secret-namespace': 'default' } });
    await kit.admin.create<PersistentVolume>('persistentvolumes', { ...csiPv('pv-s', 'rbd.csi.example.com'), spec: { ...csiPv('pv-s', 'rbd.csi.example.com').spec, csi: { driver: 'rbd.csi.example.com', volumeHandle: 'h', nodeStageSecretRef: { name: 'stage', namespace: 'default' } } } });
    assert.equal((await kit.as('n1').get('secrets', 'prov', 'default')).metadata.name, 'prov');
    assert.equal((await kit.as('n1').get('secrets', 'stage', 'default')).metadata.name, 'stage');
    await assert.rejects(kit.as('n1').get('secrets', 'unrelated', 'default'), apiError('Forbidden'));
    await assert.rejects(kit.as('n2').get('secrets', 'prov', 'default'), apiError('Forbidden'));
    await assert.rejects(kit.as('n2').get('secrets', 'stage', 'default'), apiError('Forbidden'));
  }));
});
