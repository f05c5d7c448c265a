/**
 * The node's watch over its NFS mounts (agent/volumes/nfs-node-watch.ts) against a real NFS server
 * (nfs-ganesha) and the FUSE helper: a server that disappears under a mounted volume gives a Warning
 * event on the pods using it, and a Normal one when it is back; mounts of pods that are gone or ended
 * are unmounted by the sweep, a mount still in use is kept.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../src/api/pod.js';
import type { ApiObject } from '../src/api/meta.js';
import { isMounted, NfsMounter } from '../src/agent/volumes/nfs-mounter.js';
import { NfsNodeWatch } from '../src/agent/volumes/nfs-node-watch.js';
import type { VolumeToMount } from '../src/agent/volumes/types.js';
import { NfsServer } from './harness/nfs-server.js';

const pod = (name: string, phase = 'Running'): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { containers: [] }, status: { phase } }) as unknown as Pod;

describe('NFS node watch: server health events and the sweep of unused mounts', () => {
  const server = new NfsServer();
  const dir = mkdtempSync(join(tmpdir(), 's2b-nfsw-'));
  const mounter = new NfsMounter({ root: join(dir, 'nfs'), binDir: join(dir, 'bin'), forceFuse: true });
  let pods: Pod[] = [];
  const events: { pod: string; uid?: string; type: string; reason: string; message: string }[] = [];
  const watch = new NfsNodeWatch({
    mounter, listPods: () => Promise.resolve(pods), log: () => undefined,
    events: (obj: ApiObject, type, reason, message) => { events.push({ pod: obj.metadata.name, uid: obj.metadata.uid, type, reason, message }); return Promise.resolve(); },
  });
  const vol = (pv: string): VolumeToMount => ({
    pvName: pv,
    pv: { metadata: { name: pv }, spec: { nfs: { server: '127.0.0.1', path: server.exportDir }, mountOptions: server.mountOptions } },
    claim: { namespace: 'default', name: pv }, readOnly: false,
  });
  const mp = (pv: string): string => join(dir, 'nfs', pv, 'mount');

  before(async () => { await server.start(); });
  after(async () => {
    // Whatever a failed test left mounted goes first, then the server and the files.
    for (const pv of (() => { try { return readdirSync(join(dir, 'nfs')); } catch { return []; } })()) spawnSync('umount', ['-l', mp(pv)]);
    await server.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a server that disappears gives one Warning on each pod using it, and a Normal event when it is back', async () => {
    pods = [pod('web'), pod('db')];
    await mounter.mount(vol('pv-health'), pods[0]!);
    await mounter.mount(vol('pv-health'), pods[1]!);
    await watch.round();
    assert.equal(events.length, 0, 'a healthy server raises nothing');

    await server.stop();
    try {
      await watch.round();
      await watch.round();
      const warnings = events.filter((e) => e.type === 'Warning');
      assert.deepEqual(warnings.map((e) => e.pod).sort(), ['db', 'web'], 'one Warning per pod, not one per round');
      assert.ok(warnings.every((e) => e.reason === 'NFSServerUnreachable' && e.uid === `uid-${e.pod}`));
      assert.match(warnings[0]!.message, /NFS server of volume pv-health \(127\.0\.0\.1:.*\) does not answer/);
      assert.ok(await isMounted(mp('pv-health')), 'the mount stays while its pods run: data comes back with the server');
    } finally {
      await server.start();
    }
    events.length = 0;
    await watch.round();
    assert.deepEqual(events.map((e) => `${e.pod} ${e.type} ${e.reason}`).sort(), ['db Normal NFSServerReachable', 'web Normal NFSServerReachable']);
    await mounter.unmount(vol('pv-health'), pods[0]!);
    await mounter.unmount(vol('pv-health'), pods[1]!);
    assert.equal(await isMounted(mp('pv-health')), false);
  });

  test('the sweep unmounts what no live pod uses: a pod gone, then the last one ended', async () => {
    events.length = 0;
    const a = pod('gone');
    const b = pod('job');
    await mounter.mount(vol('pv-sweep'), a);
    await mounter.mount(vol('pv-sweep'), b);
    // A pod file newer than the pod list may be a pod that came after it: let the files age past that.
    await new Promise((r) => setTimeout(r, 1500));
    pods = [b];
    await watch.round();
    assert.ok(await isMounted(mp('pv-sweep')), 'pod job still uses it');
    assert.deepEqual(readdirSync(join(dir, 'nfs', 'pv-sweep', 'pods')), ['uid-job']);

    pods = [pod('job', 'Succeeded')];
    await watch.round();
    assert.equal(await isMounted(mp('pv-sweep')), false, 'nothing stays mounted after its pods are gone');
    assert.deepEqual(readdirSync(join(dir, 'nfs')), [], 'the PV directory goes with the mount');
  });

  test('a mount made after the pod list was taken is left for the next round', async () => {
    pods = [];
    const fresh = pod('fresh');
    await mounter.mount(vol('pv-fresh'), fresh);
    await watch.round();
    assert.ok(await isMounted(mp('pv-fresh')), 'a pod file newer than the list is not swept');
    await mounter.unmount(vol('pv-fresh'), fresh);
  });
});
