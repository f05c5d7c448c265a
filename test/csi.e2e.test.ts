/**
 * CSI end to end on real processes: lanternd (server + its agent, runc) and the host-path test CSI
 * driver as its own process, registering through DATA_DIR/agent/plugins_registry. A StorageClass
 * naming the driver provisions a PV (spec.csi) for a claim; a pod writes, is deleted and created
 * again and finds its data; the claim grows through ControllerExpand/NodeExpand; a driver that dies
 * mid-NodePublish leaves the pod Waiting with a CSI reason until it comes back; Delete reclaim calls
 * DeleteVolume; and once the pods are gone `findmnt` shows nothing left under the agent's data dir.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, repoRoot } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

const DRIVER = 'hostpath.csi.lantern.dev';
interface PodView { metadata: { uid: string }; status?: { phase?: string; containerStatuses?: { state?: { waiting?: { reason?: string; message?: string } } }[] } }
interface ClaimView { spec: { volumeName?: string; resources?: { requests?: { storage?: string } } }; status?: { phase?: string; capacity?: { storage?: string } } }
interface VolumeView { metadata: { annotations?: Record<string, string> }; spec: { csi?: { driver: string; volumeHandle: string }; nodeAffinity?: unknown } }

/** Mount points at or below dir (findmnt). */
function mountsUnder(dir: string): string[] {
  return execFileSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' }).split('\n').filter((t) => t === dir || t.startsWith(`${dir}/`));
}

describe('CSI: a host-path test driver behind a StorageClass (lanternd + agent + runc)', { timeout: 400_000 }, () => {
  let server: TestServer | undefined;
  let driver: ChildProcess | undefined;
  let driverLog = '';
  const work = mkdtempSync(path.join(tmpdir(), 's3csi-e2e-'));
  const crashFile = path.join(work, 'crash-on-publish');
  const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
  const agentDir = (): string => path.join(srv().dataDir, 'agent');
  const ns = '/api/v1/namespaces/default';

  function startDriver(): void {
    driverLog = '';
    driver = spawn(process.execPath, [path.join(repoRoot, 'dist/src/testing/hostpath-csi/main.js'), '--root', path.join(work, 'hostpath'),
      '--endpoint', path.join(work, 'csi.sock'), '--registration-dir', path.join(agentDir(), 'plugins_registry'), '--node-id', 'node-1', '--crash-file', crashFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    driver.stdout?.on('data', (d: Buffer) => { driverLog += d.toString(); });
    driver.stderr?.on('data', (d: Buffer) => { driverLog += d.toString(); });
  }
  const driverExited = (): Promise<void> => new Promise((r) => { if (!driver || driver.exitCode !== null) r(); else driver.once('exit', () => r()); });
  const get = async <T>(p: string): Promise<T | undefined> => { const r = await srv().api<T>('GET', p); return r.status === 200 ? r.body : undefined; };
  const pod = (name: string): Promise<PodView | undefined> => get<PodView>(`${ns}/pods/${name}`);
  const claim = (name: string): Promise<ClaimView | undefined> => get<ClaimView>(`${ns}/persistentvolumeclaims/${name}`);
  const running = (name: string): Promise<PodView> => srv().until(`pod ${name} Running`, async () => { const p = await pod(name); return p?.status?.phase === 'Running' ? p : undefined; }, 90_000);
  const logsOf = async (name: string): Promise<string> => (await srv().lcctl(['logs', name])).stdout;
  async function createPod(name: string, script: string): Promise<void> {
    const r = await srv().api('POST', `${ns}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'db', image: 'busybox', command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'csi-data' } }],
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  async function deletePod(name: string): Promise<void> {
    await srv().api('DELETE', `${ns}/pods/${name}?gracePeriodSeconds=0`);
    await srv().until(`pod ${name} gone`, async () => (await pod(name)) === undefined, 60_000);
  }
  /** Nothing of the CSI mounter stays mounted on the node once its pods are gone (the sweep may take a moment). */
  const noCsiMounts = (): Promise<boolean> => srv().until('no CSI mount left under the agent data dir', async () => mountsUnder(path.join(agentDir(), 'csi')).length === 0, 30_000);

  before(async () => {
    server = new TestServer();
    await server.start();
    await new Cli(server).importBusybox();
    startDriver();
    const sc = await server.api('POST', '/apis/storage.k8s.io/v1/storageclasses', {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 's3-hostpath-csi' }, provisioner: DRIVER,
      reclaimPolicy: 'Delete', allowVolumeExpansion: true, volumeBindingMode: 'Immediate',
    });
    assert.equal(sc.status, 201, JSON.stringify(sc.body));
  });

  after(async () => {
    driver?.kill('SIGKILL');
    await driverExited();
    await server?.api('DELETE', `${ns}/pods/csi-db?gracePeriodSeconds=0`).catch(() => undefined);
    for (const root of [server ? agentDir() : '', work].filter(Boolean)) {
      for (const m of mountsUnder(root).reverse()) { try { execFileSync('umount', ['-l', m]); } catch { /* gone already */ } }
    }
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('the driver registers and the claim binds to a PV it created; the pod keeps its data across delete and create', async () => {
    await srv().until('driver registered on the Node', async () => {
      const n = await get<{ metadata: { annotations?: Record<string, string> } }>('/api/v1/nodes/node-1');
      return n?.metadata.annotations?.['csi.volume.kubernetes.io/nodeid']?.includes(DRIVER);
    });
    const r = await srv().api('POST', `${ns}/persistentvolumeclaims`, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'csi-data' },
      spec: { storageClassName: 's3-hostpath-csi', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const c = await srv().until('claim Bound', async () => { const x = await claim('csi-data'); return x?.status?.phase === 'Bound' ? x : undefined; }, 60_000);
    const pv = await get<VolumeView>(`/api/v1/persistentvolumes/${c.spec.volumeName ?? ''}`);
    assert.equal(pv?.spec.csi?.driver, DRIVER);
    assert.equal(pv?.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], DRIVER);
    const handle = pv?.spec.csi?.volumeHandle ?? '';
    assert.ok(existsSync(path.join(work, 'hostpath', 'volumes', handle)), 'CreateVolume made the directory');

    const script = 'test -f /var/lib/mysql/ibdata1 && echo found-old-data; echo rows >> /var/lib/mysql/ibdata1 && echo wrote; sleep 3600';
    await createPod('csi-db', script);
    await running('csi-db');
    await srv().until('the first write', async () => (await logsOf('csi-db')).includes('wrote'), 30_000);
    assert.ok(!(await logsOf('csi-db')).includes('found-old-data'));
    assert.ok(mountsUnder(path.join(agentDir(), 'csi')).length >= 2, 'staged and published under the agent data dir');
    await deletePod('csi-db');
    await noCsiMounts();

    await createPod('csi-db', script);
    await running('csi-db');
    await srv().until('the old data found', async () => (await logsOf('csi-db')).includes('found-old-data'), 30_000);
  });

  test('the claim grows through the driver (ControllerExpandVolume, then the PV and the claim show it)', async () => {
    const c = await claim('csi-data');
    assert.ok(c);
    const r = await srv().api('PUT', `${ns}/persistentvolumeclaims/csi-data`, { ...c, spec: { ...c.spec, resources: { requests: { storage: '4Mi' } } } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await srv().until('claim capacity 4Mi', async () => (await claim('csi-data'))?.status?.capacity?.storage === '4Mi', 60_000);
  });

  test('a driver that dies mid-NodePublish leaves the pod Waiting with a CSI reason; it runs once the driver is back, and nothing stays mounted', async () => {
    await deletePod('csi-db');
    await noCsiMounts();
    writeFileSync(crashFile, '');
    await createPod('csi-db', 'cat /var/lib/mysql/ibdata1; echo reading-done; sleep 3600');
    await driverExited();
    assert.equal(driver?.exitCode, 70, `the test driver should have crashed mid-NodePublish:\n${driverLog}`);
    const waiting = await srv().until('the container Waiting with a CSI reason', async () => {
      const w = (await pod('csi-db'))?.status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason?.startsWith('CSI') ? w : undefined;
    }, 60_000);
    assert.match(waiting.message ?? '', /CSI driver hostpath\.csi\.lantern\.dev/);
    await srv().until('a FailedMount event on the pod', async () => {
      const evs = await get<{ items: { reason?: string; message?: string; involvedObject: { name: string } }[] }>(`${ns}/events`);
      return evs?.items.some((e) => e.involvedObject.name === 'csi-db' && e.reason === 'FailedMount' && /CSI driver/.test(e.message ?? ''));
    });
    rmSync(crashFile);
    startDriver();
    await running('csi-db');
    await srv().until('data read after the driver came back', async () => (await logsOf('csi-db')).includes('reading-done'), 30_000);
    assert.match(await logsOf('csi-db'), /rows/);
    await deletePod('csi-db');
    await noCsiMounts();
  });

  test('deleting the claim (reclaim policy Delete) calls DeleteVolume: the PV and the directory go', async () => {
    const c = await claim('csi-data');
    const pvName = c?.spec.volumeName ?? '';
    const pv = await get<VolumeView>(`/api/v1/persistentvolumes/${pvName}`);
    const handle = pv?.spec.csi?.volumeHandle ?? '';
    await srv().api('DELETE', `${ns}/persistentvolumeclaims/csi-data`);
    await srv().until('PV and volume directory gone', async () => !existsSync(path.join(work, 'hostpath', 'volumes', handle)) && (await get(`/api/v1/persistentvolumes/${pvName}`)) === undefined, 60_000);
    assert.deepEqual(mountsUnder(agentDir()).filter((m) => m.includes('/csi/')), []);
  });
});
