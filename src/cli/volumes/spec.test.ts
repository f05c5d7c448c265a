import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATIC_PV_ANNOTATION, VOLUME_LABEL, volumeObjects } from './spec.js';

test('a local volume is a labelled claim of the default class', () => {
  const { pvc, pv } = volumeObjects({ name: 'pgdata', namespace: 'default', labels: ['team=db'] });
  assert.equal(pv, undefined);
  assert.equal(pvc.metadata.name, 'pgdata');
  assert.deepEqual(pvc.metadata.labels, { team: 'db', [VOLUME_LABEL]: 'true' });
  assert.equal(pvc.spec.storageClassName, undefined, 'the default StorageClass decides');
  assert.deepEqual(pvc.spec.accessModes, ['ReadWriteOnce']);
  assert.equal(pvc.spec.resources?.requests?.storage, '1Gi');
});

test('--driver CLASS names a StorageClass; -o size sets the request', () => {
  const { pvc } = volumeObjects({ name: 'shared', namespace: 'team', driver: 'nfs-fast', opts: ['size=5Gi'] });
  assert.equal(pvc.spec.storageClassName, 'nfs-fast');
  assert.equal(pvc.spec.resources?.requests?.storage, '5Gi');
  assert.throws(() => volumeObjects({ name: 'x', namespace: 'd', driver: 'nfs-fast', opts: ['type=nfs'] }), /-o type=nfs is an option of the local driver/);
});

test('-o type=nfs (Docker\'s local driver) is a static nfs PV pre-bound to the claim, kept on removal', () => {
  const { pvc, pv } = volumeObjects({ name: 'media', namespace: 'default', opts: ['type=nfs', 'o=addr=10.0.0.9,rw,nfsvers=3,port=2050', 'device=:/exports/media'] });
  assert.ok(pv);
  assert.deepEqual(pv.spec.nfs, { server: '10.0.0.9', path: '/exports/media' });
  assert.deepEqual(pv.spec.mountOptions, ['nfsvers=3', 'port=2050']);
  assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Retain');
  assert.deepEqual(pv.spec.claimRef, { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'media' });
  assert.equal(pvc.spec.volumeName, pv.metadata.name);
  assert.equal(pvc.spec.storageClassName, '', 'no class: only the pre-bound PV matches');
  assert.deepEqual(pvc.spec.accessModes, ['ReadWriteMany']);
  assert.equal(pvc.metadata.annotations?.[STATIC_PV_ANNOTATION], pv.metadata.name);
  // device=HOST:/path works without addr=, as with mount(8).
  assert.equal(volumeObjects({ name: 'm2', namespace: 'default', opts: ['type=nfs', 'device=fs1:/x'] }).pv?.spec.nfs?.server, 'fs1');
});

test('bad volume options are refused naming what is expected', () => {
  assert.throws(() => volumeObjects({ name: 'Bad_Name', namespace: 'd' }), /invalid volume name "Bad_Name"/);
  assert.throws(() => volumeObjects({ name: 'v', namespace: 'd', opts: ['type=nfs', 'device=:/x'] }), /needs the server: -o o=addr=HOST/);
  assert.throws(() => volumeObjects({ name: 'v', namespace: 'd', opts: ['type=nfs', 'o=addr=h', 'device=relative'] }), /expected :\/export\/path/);
  assert.throws(() => volumeObjects({ name: 'v', namespace: 'd', opts: ['type=cifs'] }), /-o type=cifs is not supported/);
  assert.throws(() => volumeObjects({ name: 'v', namespace: 'd', opts: ['size=lots'] }), /invalid -o size=lots/);
  assert.throws(() => volumeObjects({ name: 'v', namespace: 'd', opts: ['novalue'] }), /expected KEY=VALUE/);
});
