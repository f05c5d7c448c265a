/**
 * local-path storage end to end on real processes (lanternd with its agent, runc): seed 000's
 * database pod on `claimName: nvme-pvc` (the default class) keeps its data across delete and create,
 * on the same node; a claim in use is only marked Terminating until its pod is gone; reclaim Retain
 * keeps the directory on the node and Delete removes it (the agent's reclaimer); expansion; an
 * unknown class keeps the pod Pending with a clear message; nothing stays mounted after the pods.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

interface PodView { metadata: { uid: string }; spec: { nodeName?: string }; status?: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] } }
interface ClaimView { metadata: { uid: string; resourceVersion?: string; deletionTimestamp?: string }; spec: { volumeName?: string; resources?: { requests?: { storage?: string } } }; status?: { phase?: string; capacity?: { storage?: string } } }
interface VolumeView { spec: { local?: { path: string }; capacity?: { storage?: string }; persistentVolumeReclaimPolicy?: string }; status?: { phase?: string } }

describe('local-path volumes (lanternd + agent + runc)', { timeout: 300_000 }, () => {
  let server: TestServer | undefined;
  const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
  const ns = '/api/v1/namespaces/default';

  async function createPod(name: string, claim: string, script: string): Promise<void> {
    const r = await srv().api('POST', `${ns}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'db', image: 'busybox', command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const get = async <T>(p: string): Promise<T | undefined> => { const r = await srv().api<T>('GET', p); return r.status === 200 ? r.body : undefined; };
  const pod = (name: string): Promise<PodView | undefined> => get<PodView>(`${ns}/pods/${name}`);
  const claim = (name: string): Promise<ClaimView | undefined> => get<ClaimView>(`${ns}/persistentvolumeclaims/${name}`);
  const volume = (name: string): Promise<VolumeView | undefined> => get<VolumeView>(`/api/v1/persistentvolumes/${name}`);
  const running = (name: string): Promise<PodView> => srv().until(`pod ${name} Running`, async () => { const p = await pod(name); return p?.status?.phase === 'Running' ? p : undefined; }, 90_000);
  const logsOf = async (name: string): Promise<string> => (await srv().lcctl(['logs', name])).stdout;
  async function deletePod(name: string): Promise<void> {
    await srv().api('DELETE', `${ns}/pods/${name}?gracePeriodSeconds=0`);
    await srv().until(`pod ${name} gone`, async () => (await pod(name)) === undefined, 60_000);
  }
  async function createClaim(name: string, size: string, storageClassName?: string): Promise<void> {
    const r = await srv().api('POST', `${ns}/persistentvolumeclaims`, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...(storageClassName ? { storageClassName } : {}) },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const bound = (name: string): Promise<ClaimView> => srv().until(`claim ${name} Bound`, async () => { const c = await claim(name); return c?.status?.phase === 'Bound' ? c : undefined; }, 60_000);
  /** Mounts on the host (findmnt) whose target or source names s. */
  const mountsOf = (s: string): string[] => execFileSync('findmnt', ['-rn', '-o', 'TARGET,SOURCE'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(s));

  before(async () => {
    server = new TestServer();
    await server.start();
    await new Cli(server).importBusybox();
    const sc = await server.api('POST', '/apis/storage.k8s.io/v1/storageclasses', {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 's1b-retain' }, provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer',
    });
    assert.equal(sc.status, 201, JSON.stringify(sc.body));
  });

  after(async () => { await server?.stop(); });

  test("seed 000: the database pod on claimName nvme-pvc finds its data when created again, on the same node; the claim grows", async () => {
    await createClaim('nvme-pvc', '1Gi');
    await createPod('mysql', 'nvme-pvc', 'test -f /var/lib/mysql/ibdata1 && echo found-old-data; echo rows >> /var/lib/mysql/ibdata1 && echo wrote; sleep 3600');
    const first = await running('mysql');
    await srv().until('the first write', async () => (await logsOf('mysql')).includes('wrote'), 30_000);
    const c = await bound('nvme-pvc');
    const pv = await volume(c.spec.volumeName ?? '');
    const dir = pv?.spec.local?.path ?? '';
    assert.match(dir, new RegExp(`/storage/pvc-${c.metadata.uid}_default_nvme-pvc$`));
    assert.equal(readFileSync(join(dir, 'ibdata1'), 'utf8'), 'rows\n', 'the data is in the volume directory on the node');
    const uid = first.metadata.uid;
    await deletePod('mysql');
    await srv().until(`nothing of the pod stays mounted: ${mountsOf(uid).join(', ')}`, async () => mountsOf(uid).length === 0, 30_000);
    assert.deepEqual(mountsOf(dir), [], 'the volume is not left mounted');
    await createPod('mysql', 'nvme-pvc', 'test -f /var/lib/mysql/ibdata1 && echo found-old-data; sleep 3600');
    assert.equal((await running('mysql')).spec.nodeName, first.spec.nodeName);
    await srv().until('the new pod finds the data', async () => (await logsOf('mysql')).includes('found-old-data'), 30_000);

    // Expansion: the default class allows it; the PV and the claim's status say the new size.
    const cur = await claim('nvme-pvc');
    assert.ok(cur);
    const put = await srv().api('PUT', `${ns}/persistentvolumeclaims/nvme-pvc`, { ...cur, apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { ...cur.spec, resources: { requests: { storage: '2Gi' } } } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await srv().until('claim capacity 2Gi', async () => (await claim('nvme-pvc'))?.status?.capacity?.storage === '2Gi', 30_000);
    assert.equal((await volume(c.spec.volumeName ?? ''))?.spec.capacity?.storage, '2Gi');
    const shrink = await srv().api('PUT', `${ns}/persistentvolumeclaims/nvme-pvc`, { ...(await claim('nvme-pvc')), apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { ...cur.spec, resources: { requests: { storage: '1Gi' } } } });
    assert.equal(shrink.status, 422, `a smaller request is refused: ${JSON.stringify(shrink.body)}`);
  });

  test('pvc-protection, then reclaim Delete: the claim waits for its pod, then the agent removes the directory and the PV', async () => {
    const c = await bound('nvme-pvc');
    const pvName = c.spec.volumeName ?? '';
    const dir = (await volume(pvName))?.spec.local?.path ?? '';
    assert.equal((await volume(pvName))?.spec.persistentVolumeReclaimPolicy, 'Delete');
    const del = await srv().api('DELETE', `${ns}/persistentvolumeclaims/nvme-pvc`);
    assert.ok(del.status === 200 || del.status === 202, JSON.stringify(del.body));
    const terminating = await srv().until('claim marked Terminating', async () => { const x = await claim('nvme-pvc'); return x?.metadata.deletionTimestamp ? x : undefined; }, 30_000);
    assert.equal(terminating.status?.phase, 'Bound', 'the claim is still bound while its pod runs');
    const table = await srv().lcctl(['get', 'pvc']);
    assert.match(table.stdout, /nvme-pvc\s+Terminating/, table.stderr);
    assert.equal((await pod('mysql'))?.status?.phase, 'Running');
    assert.ok(existsSync(join(dir, 'ibdata1')));
    await deletePod('mysql');
    await srv().until('claim gone after its pod', async () => (await claim('nvme-pvc')) === undefined, 60_000);
    await srv().until(`the node removed ${dir} and the PV (reclaim policy Delete)`, async () => !existsSync(dir) && (await volume(pvName)) === undefined, 60_000);
  });

  test('reclaim Retain: the PV is Released and the directory stays on the node with its data', async () => {
    await createClaim('s1b-kept', '1Gi', 's1b-retain');
    await createPod('s1b-keeper', 's1b-kept', 'echo precious > /var/lib/mysql/file && sleep 3600');
    const p = await running('s1b-keeper');
    const c = await bound('s1b-kept');
    const pvName = c.spec.volumeName ?? '';
    const dir = (await volume(pvName))?.spec.local?.path ?? '';
    await srv().until('written', async () => existsSync(join(dir, 'file')), 30_000);
    await deletePod('s1b-keeper');
    await srv().api('DELETE', `${ns}/persistentvolumeclaims/s1b-kept`);
    await srv().until('PV Released', async () => (await volume(pvName))?.status?.phase === 'Released', 60_000);
    assert.equal(readFileSync(join(dir, 'file'), 'utf8'), 'precious\n');
    await srv().until('nothing of the pod stays mounted', async () => mountsOf(p.metadata.uid).length === 0 && mountsOf(dir).length === 0, 30_000);
    // The admin deletes a Retain volume by hand; the data is still left for them.
    await srv().api('DELETE', `/api/v1/persistentvolumes/${pvName}`);
    await srv().until('PV deleted', async () => (await volume(pvName)) === undefined, 30_000);
    assert.ok(existsSync(join(dir, 'file')), 'deleting a Retain PV object never deletes its data');
  });

  test('a claim of an unknown class keeps its pod Pending with a message that names the class', async () => {
    await createClaim('s1b-nowhere', '1Gi', 's1b-no-such-class');
    await createPod('s1b-stuck', 's1b-nowhere', 'sleep 3600');
    const cond = await srv().until('PodScheduled False', async () => (await pod('s1b-stuck'))?.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False'), 30_000);
    assert.match(cond.message ?? '', /storageclass\.storage\.k8s\.io "s1b-no-such-class" not found/);
    assert.equal((await pod('s1b-stuck'))?.status?.phase, 'Pending');
    const described = await srv().lcctl(['describe', 'pvc', 's1b-nowhere']);
    assert.match(described.stdout, /ProvisioningFailed/);
    await deletePod('s1b-stuck');
  });
});
