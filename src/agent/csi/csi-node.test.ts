import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../../testing/eventually.js';
import { HostpathCsiDriver } from '../../testing/hostpath-csi/driver.js';
import type { Pod } from '../../api/pod.js';
import { CsiDrivers } from './drivers.js';
import { PluginWatcher } from './plugin-watcher.js';
import { CsiMounter, CsiMountError } from '../volumes/csi-mounter.js';
import { forceUnmount, mountsUnder } from './mount-util.js';
import type { VolumeToMount } from '../volumes/types.js';
import * as grpc from '@grpc/grpc-js';
import { csiProtos, unixTarget } from './proto.js';

const pod = (uid: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${uid}`, namespace: 'default', uid }, spec: { containers: [] } }) as unknown as Pod;

describe('CSI node side against the host-path test driver', () => {
  let dir = '';
  let driver: HostpathCsiDriver;
  let drivers: CsiDrivers;
  let watcher: PluginWatcher;
  let mounter: CsiMounter;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 's3csi-'));
    driver = new HostpathCsiDriver({ root: path.join(dir, 'driver'), endpoint: path.join(dir, 'sock', 'csi.sock'), registrationDir: path.join(dir, 'plugins_registry'), nodeId: 'node-a' });
    await driver.start();
    drivers = new CsiDrivers();
    watcher = new PluginWatcher({ dir: path.join(dir, 'plugins_registry'), handlers: { CSIPlugin: drivers }, log: () => undefined, rescanMs: 100 });
    await watcher.start();
    mounter = new CsiMounter(drivers, path.join(dir, 'csi'));
  });

  after(async () => {
    watcher?.stop();
    drivers?.close();
    await driver?.stop();
    for (const m of (await mountsUnder(dir)).reverse()) await forceUnmount(m);
    await rm(dir, { recursive: true, force: true });
  });

  test('a driver registers through its plugin socket with its identity, capabilities and node id', async () => {
    await eventually('driver registered', () => drivers.get('hostpath.csi.lantern.dev'));
    const d = drivers.get('hostpath.csi.lantern.dev')!;
    assert.equal(d.info.nodeId, 'node-a');
    assert.deepEqual(d.info.topology, { 'topology.hostpath.csi/node': 'node-a' });
    assert.ok(d.info.nodeCapabilities.includes('STAGE_UNSTAGE_VOLUME'));
    assert.ok(d.info.controllerCapabilities.includes('CREATE_DELETE_VOLUME'));
    assert.ok(driver.calls.includes('NotifyRegistrationStatus:true'));
  });

  test('a volume created through the driver is staged once, published per pod and fully torn down', async () => {
    const d = drivers.get('hostpath.csi.lantern.dev')!;
    const vol = await d.client.createVolume({ name: 'pvc-1', capacityRange: { requiredBytes: 1 << 20 }, volumeCapabilities: [{ mount: { fsType: '', mountFlags: [] }, accessMode: { mode: 'SINGLE_NODE_WRITER' } }], parameters: {} });
    assert.equal(vol.capacityBytes, String(1 << 20));
    const v: VolumeToMount = { pvName: 'pv-1', pv: { metadata: { name: 'pv-1' }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Mi' }, csi: { driver: d.info.name, volumeHandle: vol.volumeId } } }, claim: { namespace: 'default', name: 'c' }, readOnly: false };
    const t1 = await mounter.mount(v, pod('u1'));
    const t2 = await mounter.mount(v, pod('u2'));
    assert.equal(await mounter.mount(v, pod('u1')), t1, 'mount again is idempotent');
    await writeFile(path.join(t1, 'data.txt'), 'hello');
    assert.equal(await readFile(path.join(t2, 'data.txt'), 'utf8'), 'hello', 'both pods see one volume');
    assert.ok(await mounter.isStaged(d.info.name, vol.volumeId));
    await mounter.unmount(v, pod('u1'));
    assert.ok(await mounter.isStaged(d.info.name, vol.volumeId), 'still staged for the second pod');
    await mounter.unmount(v, pod('u2'));
    assert.equal(await mounter.isStaged(d.info.name, vol.volumeId), false);
    assert.deepEqual(await mountsUnder(path.join(dir, 'csi')), [], 'nothing stays mounted');
    assert.equal(await readFile(path.join(dir, 'driver', 'volumes', vol.volumeId, 'data.txt'), 'utf8'), 'hello', 'data kept');
    await d.client.deleteVolume(vol.volumeId);
    assert.equal(existsSync(path.join(dir, 'driver', 'volumes', vol.volumeId)), false);
  });

  test('publishes of a pod that is no longer on the node are swept (agent restart, pod deleted while Waiting)', async () => {
    const d = drivers.get('hostpath.csi.lantern.dev')!;
    const vol = await d.client.createVolume({ name: 'pvc-sweep', volumeCapabilities: [], parameters: {} });
    const v: VolumeToMount = { pvName: 'pv-sweep', pv: { metadata: { name: 'pv-sweep' }, spec: { csi: { driver: d.info.name, volumeHandle: vol.volumeId } } }, claim: { namespace: 'default', name: 'cs' }, readOnly: false };
    await mounter.mount(v, pod('live'));
    await mounter.mount(v, pod('gone'));
    // A fresh mounter over the same folder: what a restarted agent has (records on disk, nothing in memory).
    const restarted = new CsiMounter(drivers, path.join(dir, 'csi'));
    await restarted.sweep(new Set(['live']), Date.now() + 5000);
    const left = await mountsUnder(path.join(dir, 'csi'));
    assert.ok(left.some((m) => m.includes('/pods/live/')), 'the live pod keeps its mount');
    assert.ok(!left.some((m) => m.includes('/pods/gone/')), 'the gone pod\'s mount is torn down');
    assert.ok(await restarted.isStaged(d.info.name, vol.volumeId), 'still staged for the live pod');
    await restarted.sweep(new Set(), Date.now() + 5000);
    assert.deepEqual(await mountsUnder(path.join(dir, 'csi')), []);
  });

  test('a driver that is gone gives a clear reason; teardown unmounts locally and the driver finishes it on return', async () => {
    const d = drivers.get('hostpath.csi.lantern.dev')!;
    const vol = await d.client.createVolume({ name: 'pvc-2', volumeCapabilities: [], parameters: {} });
    const v: VolumeToMount = { pvName: 'pv-2', pv: { metadata: { name: 'pv-2' }, spec: { csi: { driver: d.info.name, volumeHandle: vol.volumeId } } }, claim: { namespace: 'default', name: 'c2' }, readOnly: false };
    await mounter.mount(v, pod('u3'));
    await driver.stop();
    await eventually('driver deregistered', () => drivers.get(d.info.name) === undefined);
    await assert.rejects(mounter.mount(v, pod('u4')), (e: unknown) => e instanceof CsiMountError && e.reason === 'CSIDriverNotRegistered' && /plugins_registry/.test(e.message));
    await mounter.unmount(v, pod('u3'));
    assert.deepEqual(await mountsUnder(path.join(dir, 'csi')), [], 'unmounted locally while the driver is away');
    const calls = driver.calls.length;
    driver = new HostpathCsiDriver({ root: path.join(dir, 'driver'), endpoint: path.join(dir, 'sock', 'csi.sock'), registrationDir: path.join(dir, 'plugins_registry'), nodeId: 'node-a' });
    await driver.start();
    await eventually('driver back', () => drivers.get(d.info.name));
    await mounter.retryReleased();
    assert.ok(driver.calls.includes('NodeUnpublishVolume') && driver.calls.includes('NodeUnstageVolume'), `calls after return: ${driver.calls.join(',')} (${calls})`);
    assert.deepEqual(await readdir(path.join(dir, 'csi', 'pods')), []);
  });

  test('a plugin of another type, or one without a CSI 1.x version, is refused through NotifyRegistrationStatus', async () => {
    const notes: Array<{ pluginRegistered: boolean; error: string }> = [];
    const serve = async (file: string, info: object): Promise<grpc.Server> => {
      const server = new grpc.Server();
      server.addService(csiProtos().Registration.service, {
        GetInfo: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, info),
        NotifyRegistrationStatus: (c: { request: { pluginRegistered: boolean; error: string } }, cb: grpc.sendUnaryData<unknown>) => { notes.push(c.request); cb(null, {}); },
      } as unknown as grpc.UntypedServiceImplementation);
      await new Promise<void>((res, rej) => server.bindAsync(unixTarget(path.join(dir, 'plugins_registry', file)), grpc.ServerCredentials.createInsecure(), (e) => (e ? rej(e) : res())));
      return server;
    };
    const a = await serve('gpu.sock', { type: 'DRAPlugin', name: 'gpu.example.com', endpoint: '/nowhere', supportedVersions: ['1.0.0'] });
    const b = await serve('old.sock', { type: 'CSIPlugin', name: 'old.csi.example.com', endpoint: '/nowhere', supportedVersions: ['0.3.0'] });
    try {
      await eventually('two refusals', () => notes.length >= 2);
      assert.ok(notes.every((n) => !n.pluginRegistered));
      assert.ok(notes.some((n) => /plugin type "DRAPlugin" is not supported/.test(n.error)), JSON.stringify(notes));
      assert.ok(notes.some((n) => /Lantern speaks CSI 1\.x/.test(n.error)), JSON.stringify(notes));
      assert.equal(drivers.get('old.csi.example.com'), undefined);
    } finally {
      a.forceShutdown();
      b.forceShutdown();
    }
  });
});
