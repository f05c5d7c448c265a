import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolume } from '../../api/schema/storage.js';
import { pinnedNode } from '../../api/storage.js';
import { apiError, withNodes } from './testkit.js';

const pinned = (name: string, node: string | undefined, extra: Partial<PersistentVolume['spec']> = {}): PersistentVolume => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
  spec: {
    capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', local: { path: `/var/lib/lantern/storage/pvc-${name}` },
    ...(node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } } : {}),
    ...extra,
  },
});

describe('node restriction: PersistentVolumes', () => {
  test('pinnedNode: every term must name one node alone (by metadata.name or kubernetes.io/hostname)', () => {
    assert.equal(pinnedNode(pinned('a', 'n1')), 'n1');
    assert.equal(pinnedNode(pinned('a', undefined)), undefined);
    const two = { nodeAffinity: { required: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: ['n1', 'n2'] }] }] } } };
    assert.equal(pinnedNode(pinned('a', undefined, two)), undefined);
    const orTerms = { nodeAffinity: { required: { nodeSelectorTerms: [
      { matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: ['n1'] }] },
      { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In' as const, values: ['n2'] }] },
    ] } } };
    assert.equal(pinnedNode(pinned('a', undefined, orTerms)), undefined, 'terms are ORed: the volume may live on n2 too');
    const zone = { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: ['z'] }] }] } } };
    assert.equal(pinnedNode(pinned('a', undefined, zone)), undefined);
  });

  test('a node may mark Failed, annotate and delete a volume pinned to it', () => withNodes(async (kit) => {
    await kit.admin.create('persistentvolumes', pinned('mine', 'edge-1'));
    const pv = await kit.as('edge-1').get<PersistentVolume>('persistentvolumes', 'mine');
    const annotated = await kit.as('edge-1').update<PersistentVolume>('persistentvolumes', { ...pv, metadata: { ...pv.metadata, annotations: { 'storage.lantern.dev/used-bytes': '4096' } } });
    await kit.as('edge-1').updateStatus('persistentvolumes', { ...annotated, status: { phase: 'Failed', message: 'x' } });
    await kit.as('edge-1').delete('persistentvolumes', 'mine');
    await assert.rejects(kit.admin.get('persistentvolumes', 'mine'), apiError('NotFound'));
  }));

  test('another node is refused (Forbidden, naming the node it is pinned to); the volume is untouched', () => withNodes(async (kit) => {
    await kit.admin.create('persistentvolumes', pinned('theirs', 'edge-1'));
    const pv = await kit.as('edge-2').get<PersistentVolume>('persistentvolumes', 'theirs');
    await assert.rejects(kit.as('edge-2').delete('persistentvolumes', 'theirs'), apiError('Forbidden', /pinned to node "edge-1"/));
    await assert.rejects(kit.as('edge-2').updateStatus('persistentvolumes', { ...pv, status: { phase: 'Failed' } }), apiError('Forbidden'));
    // Re-pinning it to itself is refused too: the stored volume decides.
    await assert.rejects(kit.as('edge-2').update('persistentvolumes', { ...pv, spec: { ...pinned('theirs', 'edge-2').spec } }), apiError('Forbidden', /pinned to node "edge-1"/));
    assert.equal((await kit.admin.get<PersistentVolume>('persistentvolumes', 'theirs')).status?.phase, pv.status?.phase);
  }));

  test('a volume pinned to no node (NFS, a zone) is no node\'s to write; nor may a node move its own volume\'s data', () => withNodes(async (kit) => {
    await kit.admin.create('persistentvolumes', pinned('shared', undefined, { local: undefined, nfs: { server: '192.0.2.1', path: '/export' } }));
    await assert.rejects(kit.as('edge-1').delete('persistentvolumes', 'shared'), apiError('Forbidden', /not pinned to one node/));
    await kit.admin.create('persistentvolumes', pinned('mine', 'edge-1'));
    const pv = await kit.as('edge-1').get<PersistentVolume>('persistentvolumes', 'mine');
    await assert.rejects(kit.as('edge-1').update('persistentvolumes', { ...pv, spec: { ...pv.spec, local: { path: '/etc' } } }), apiError('Forbidden', /may not change/));
  }));

  test('a node\'s PV without a spec (checked before the schema) is refused plainly, not a server error', () => withNodes(async (kit) => {
    const bare = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'bare' } } as unknown as PersistentVolume;
    await assert.rejects(async () => kit.as('edge-1').create('persistentvolumes', bare), apiError('Forbidden', /not pinned to one node/));
  }));

  test('a node may not create a local volume on another node', () => withNodes(async (kit) => {
    await assert.rejects(async () => kit.as('edge-1').create('persistentvolumes', pinned('new', 'edge-2')), apiError('Forbidden'));
  }));
});
