import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/schema/storage.js';
import type { ApiClient } from '../../client/types.js';
import { withTestApi } from '../../testing/api.js';
import { ClaimWaitError, PodClaims, asWait } from './pod-claims.js';
import { ClaimCache } from './claim-cache.js';
import { nodeClient } from '../../testing/node-client.js';
import type { VolumeMounter, VolumeToMount } from './types.js';

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'default', uid: 'u1' }, spec: { containers: [] } };

/** A mounter that records its calls and mounts every local PV at /host/<pv>. */
class Recorder implements VolumeMounter {
  readonly name = 'rec';
  readonly calls: string[] = [];
  constructor(private readonly fail?: Error) {}
  canMount(v: VolumeToMount): boolean { return (v.pv.spec as { hostPath?: unknown }).hostPath !== undefined; }
  async mount(v: VolumeToMount): Promise<string> {
    this.calls.push(`mount ${v.pvName} ${v.claim.name} ro=${String(v.readOnly)}`);
    if (this.fail) throw this.fail;
    return `/host/${v.pvName}`;
  }
  async unmount(v: VolumeToMount): Promise<void> { this.calls.push(`unmount ${v.pvName}`); }
}

async function boundClaim(api: ApiClient, name: string, spec: PersistentVolume['spec']): Promise<void> {
  await api.create<PersistentVolume>('persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: `pv-${name}` }, spec: { accessModes: ['ReadWriteOnce'], ...spec } });
  const c = await api.create<PersistentVolumeClaim>('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: `pv-${name}` } });
  await api.updateStatus('persistentvolumeclaims', { ...c, status: { phase: 'Bound' } });
}

const waitOf = async (p: Promise<unknown>): Promise<ClaimWaitError> => {
  try { await p; } catch (e) { if (e instanceof ClaimWaitError) return e; throw e; }
  throw new Error('expected the container to wait');
};

describe('PodClaims (a pod\'s persistentVolumeClaims on the node)', () => {
  test('a missing claim, a Pending claim and a claim whose volume is gone hold the container with a message that says why', () => withTestApi(async ({ api }) => {
    const claims = new PodClaims(api, [new Recorder()]);
    const missing = await waitOf(claims.mount(pod, 'nvme-pvc', false));
    assert.equal(missing.reason, 'ContainerCreating');
    assert.match(missing.message, /persistentvolumeclaim "nvme-pvc" not found/);
    assert.ok(missing.retryInMs > 0);
    await api.create('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'pending', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    assert.match((await waitOf(claims.mount(pod, 'pending', false))).message, /waiting for persistentvolumeclaim "pending" to be bound/);
    const c = await api.create<PersistentVolumeClaim>('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'orphan', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: 'nope' } });
    await api.updateStatus('persistentvolumeclaims', { ...c, status: { phase: 'Bound' } });
    assert.match((await waitOf(claims.mount(pod, 'orphan', false))).message, /bound to volume "nope", which is not found/);
  }));

  test('a bound claim is mounted once per pod by the mounter of its source, and let go at teardown', () => withTestApi(async ({ api }) => {
    await boundClaim(api, 'data', { capacity: { storage: '1Gi' }, hostPath: { path: '/d/x' } });
    const rec = new Recorder();
    const claims = new PodClaims(api, [rec]);
    assert.equal(await claims.mount(pod, 'data', true), '/host/pv-data');
    assert.equal(await claims.mount(pod, 'data', true), '/host/pv-data', 'a second container of the pod reuses the mount');
    await claims.unmountAll(pod);
    await claims.unmountAll(pod);
    assert.deepEqual(rec.calls, ['mount pv-data data ro=true', 'unmount pv-data']);
  }));

  test('a source no mounter handles waits with a message naming the volume', () => withTestApi(async ({ api }) => {
    await boundClaim(api, 'far', { capacity: { storage: '1Gi' }, nfs: { server: '192.0.2.1', path: '/e' } });
    const w = await waitOf(new PodClaims(api, [new Recorder()]).mount(pod, 'far', false));
    assert.match(w.message, /volume "pv-far" of claim "far": no mounter on this node handles its source/);
  }));

  test('a mounter error with reason and retryInMs becomes a Waiting state; other errors stay errors', async () => {
    const csi = Object.assign(new Error('driver hostpath.csi not registered'), { reason: 'DriverNotRegistered', retryInMs: 5000 });
    assert.deepEqual(asWait(csi), { retryInMs: 5000, waiting: { reason: 'DriverNotRegistered', message: 'driver hostpath.csi not registered' } });
    assert.equal(asWait(new Error('boom')), undefined);
    assert.equal(asWait('text'), undefined);
    await withTestApi(async ({ api }) => {
      await boundClaim(api, 'data', { capacity: { storage: '1Gi' }, hostPath: { path: '/d/x' } });
      await assert.rejects(new PodClaims(api, [new Recorder(csi)]).mount(pod, 'data', false), (e: unknown) => asWait(e)?.waiting?.reason === 'DriverNotRegistered');
    });
  });

  test('through the node\'s ClaimCache (informers, read as the node): the same answers, and a claim made after its list is still found', () => withTestApi(async ({ api }) => {
    await boundClaim(api, 'data', { capacity: { storage: '1Gi' }, hostPath: { path: '/d/x' } });
    const cache = new ClaimCache(nodeClient(api, 'n1'), () => undefined);
    try {
      await cache.start();
      assert.equal((await cache.claim('default', 'data'))?.spec.volumeName, 'pv-data');
      assert.equal(await cache.claim('default', 'none'), undefined);
      await boundClaim(api, 'late', { capacity: { storage: '1Gi' }, hostPath: { path: '/d/y' } });
      assert.equal(await new PodClaims(api, [new Recorder()], cache).mount(pod, 'late', false), '/host/pv-late');
    } finally { cache.stop(); }
  }));
});
