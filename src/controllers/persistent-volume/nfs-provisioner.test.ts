import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StorageClass } from '../../api/schema/storage.js';
import { nfsClassTarget } from './nfs-provisioner.js';

const sc = (parameters: Record<string, string>): StorageClass => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'nfs' }, provisioner: 'lantern.dev/nfs', parameters });

test('an nfs class names its export; ports become the PV mount options', () => {
  const t = nfsClassTarget(sc({ server: '10.0.0.5', share: '/srv/nfs/', port: '2050', mountPort: '2051' }));
  assert.deepEqual(t, { server: '10.0.0.5', path: '/srv/nfs', mountOptions: ['port=2050', 'mountport=2051'] });
});

test('a bad nfs class is refused with the field path and what is expected', () => {
  assert.throws(() => nfsClassTarget(sc({ share: '/srv' })), /parameters\.server: expected the NFS server's host name/);
  assert.throws(() => nfsClassTarget(sc({ server: 'a b', share: '/srv' })), /parameters\.server/);
  assert.throws(() => nfsClassTarget(sc({ server: 'fs', share: 'srv' })), /parameters\.share: expected the absolute export path/);
  assert.throws(() => nfsClassTarget(sc({ server: 'fs', share: '/srv/../etc' })), /parameters\.share/);
  assert.throws(() => nfsClassTarget(sc({ server: 'fs', share: '/srv', port: 'x' })), /parameters\.port: expected a number/);
});
