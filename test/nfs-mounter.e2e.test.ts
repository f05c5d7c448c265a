/**
 * The node's NFS client against a real NFS server (nfs-ganesha): the FUSE helper mounts a PV's export,
 * one mount shared by two pods and gone after the last; the provisioner's mkdir / rm -r; a server that
 * is down gives a clear, retryable reason.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../src/api/pod.js';
import { ensureNfsHelper, helperNfsExports, nfsHelper } from '../src/agent/volumes/nfs-helper.js';
import { isMounted, NfsMounter } from '../src/agent/volumes/nfs-mounter.js';
import type { VolumeToMount } from '../src/agent/volumes/types.js';
import { NfsServer } from './harness/nfs-server.js';
import { spawnSync } from 'node:child_process';
import { NfsProvisioner } from '../src/controllers/persistent-volume/nfs-provisioner.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../src/api/schema/storage.js';

const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { containers: [] } }) as unknown as Pod;

describe('NFS mounter (FUSE helper) against nfs-ganesha', () => {
  const server = new NfsServer();
  const dir = mkdtempSync(join(tmpdir(), 's2-nfsm-'));
  const mounter = new NfsMounter({ root: join(dir, 'nfs'), binDir: join(dir, 'bin'), forceFuse: true });
  let vol: VolumeToMount;

  before(async () => {
    await server.start();
    vol = {
      pvName: 'pv-s2-test',
      pv: { metadata: { name: 'pv-s2-test' }, spec: { nfs: { server: '127.0.0.1', path: join(server.exportDir, 'vol1') }, mountOptions: server.mountOptions } },
      claim: { namespace: 'default', name: 'c' },
      readOnly: false,
    };
  });

  after(async () => {
    // Whatever a failed test left mounted goes first, then the server and the files.
    spawnSync('umount', ['-l', join(dir, 'nfs', 'pv-s2-test', 'mount')]);
    await server.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the provisioner helper makes and removes a subdirectory on the export', async () => {
    const helper = await ensureNfsHelper(join(dir, 'bin'));
    const target = { server: '127.0.0.1', path: server.exportDir, mountOptions: server.mountOptions };
    await nfsHelper(helper, 'mkdir', target, '/vol1');
    assert.ok(existsSync(join(server.exportDir, 'vol1')));
    await nfsHelper(helper, 'mkdir', target, '/gone/deep');
    writeFileSync(join(server.exportDir, 'gone', 'deep', 'f'), 'x');
    await nfsHelper(helper, 'rmr', target, '/gone');
    assert.equal(existsSync(join(server.exportDir, 'gone')), false);
    // Deleting what is already gone succeeds (a retried Delete).
    await nfsHelper(helper, 'rmr', target, '/gone');
  });

  test('two pods share one mount; files land on the server; the last pod unmounts it', async () => {
    const a = pod('a');
    const b = pod('b');
    const mpA = await mounter.mount(vol, a);
    const mpB = await mounter.mount(vol, b);
    assert.equal(mpA, mpB);
    assert.ok(await isMounted(mpA));
    writeFileSync(join(mpA, 'hello.txt'), 'written through NFS\n');
    assert.equal(readFileSync(join(server.exportDir, 'vol1', 'hello.txt'), 'utf8'), 'written through NFS\n');
    await mounter.unmount(vol, a);
    assert.ok(await isMounted(mpA), 'still mounted while pod b uses it');
    assert.equal(readFileSync(join(mpB, 'hello.txt'), 'utf8'), 'written through NFS\n');
    await mounter.unmount(vol, b);
    assert.equal(await isMounted(mpA), false, 'nothing stays mounted after the last pod');
    // Data stays on the server: unmount deletes nothing.
    assert.ok(existsSync(join(server.exportDir, 'vol1', 'hello.txt')));
  });

  test('a server that is down gives a clear, retryable reason and leaves nothing mounted', async () => {
    await server.stop();
    try {
      await assert.rejects(mounter.mount(vol, pod('c')), (e: unknown) => {
        const err = e as { reason?: string; retryInMs?: number; message: string };
        assert.equal(err.reason, 'NFSMountFailed');
        assert.equal(typeof err.retryInMs, 'number');
        assert.match(err.message, /cannot mount NFS export 127\.0\.0\.1:.*vol1/);
        return true;
      });
      assert.equal(await isMounted(join(dir, 'nfs', 'pv-s2-test', 'mount')), false);
    } finally {
      await server.start();
    }
    // Back up: the next try mounts.
    const mp = await mounter.mount(vol, pod('c'));
    assert.ok(existsSync(join(mp, 'hello.txt')));
    await mounter.unmount(vol, pod('c'));
  });

  test('the nfs provisioner makes a subdirectory per claim and removes it on Delete', async () => {
    const prov = new NfsProvisioner(helperNfsExports(join(dir, 'bin')));
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'team', uid: 'u1' }, spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '2Gi' } } } } as PersistentVolumeClaim;
    const sc = { apiVersion: 'storage.k8s.io/v1' as const, kind: 'StorageClass' as const, metadata: { name: 'nfs' }, provisioner: 'lantern.dev/nfs', parameters: { server: '127.0.0.1', share: server.exportDir, port: String(server.nfsPort), mountPort: String(server.mountPort) } };
    const spec = await prov.provision(claim, sc, undefined);
    assert.deepEqual(spec.nfs, { server: '127.0.0.1', path: join(server.exportDir, 'team-data-pvc-u1') });
    assert.deepEqual(spec.accessModes, ['ReadWriteMany']);
    assert.ok(existsSync(join(server.exportDir, 'team-data-pvc-u1')));
    writeFileSync(join(server.exportDir, 'team-data-pvc-u1', 'db'), 'rows');
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pvc-u1' }, spec } as PersistentVolume;
    assert.equal(await prov.delete(pv), 'deleted');
    assert.equal(existsSync(join(server.exportDir, 'team-data-pvc-u1')), false);
    assert.ok(existsSync(server.exportDir), 'the share itself stays');
  });
});
