/**
 * CSI on a remote node (a real `lanternd agent` joined over HTTP with its node credential): the
 * host-path test driver registers with that agent; a WaitForFirstConsumer claim of its class gets a PV
 * created by the node itself (authz + node restriction let it write PVs of the driver it hosts), pinned
 * by the driver's topology; the pod runs there and writes; Delete reclaim is done by the node too. The
 * driver demands a secret its class names, which the node reads with its own credential.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, repoRoot } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';

const DRIVER = 'edge.hostpath.csi.lantern.dev';
const NODE = 's3-csi-edge';
interface PodView { spec: { nodeName?: string }; status?: { phase?: string } }
interface ClaimView { spec: { volumeName?: string }; status?: { phase?: string } }
interface VolumeView { spec: { csi?: { driver: string; volumeHandle: string }; nodeAffinity?: { required?: { nodeSelectorTerms: { matchExpressions?: { key: string; values?: string[] }[] }[] } } } }

function mountsUnder(dir: string): string[] {
  return execFileSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' }).split('\n').filter((t) => t === dir || t.startsWith(`${dir}/`));
}

describe('CSI through a remote agent (node credential over HTTP)', { timeout: 300_000 }, () => {
  const server = new TestServer(['--no-agent']);
  let agent: RemoteAgent | undefined;
  let driver: ChildProcess | undefined;
  const work = mkdtempSync(path.join(tmpdir(), 's3csi-remote-'));
  const ns = '/api/v1/namespaces/default';
  const get = async <T>(p: string): Promise<T | undefined> => { const r = await server.api<T>('GET', p); return r.status === 200 ? r.body : undefined; };

  before(async () => {
    await server.start();
    agent = new RemoteAgent(server, NODE);
    await agent.start();
    driver = spawn(process.execPath, [path.join(repoRoot, 'dist/src/testing/hostpath-csi/main.js'), '--name', DRIVER, '--root', path.join(work, 'hostpath'),
      '--endpoint', path.join(work, 'csi.sock'), '--registration-dir', path.join(agent.dataDir, 'plugins_registry'), '--node-id', NODE, '--require-secret', 'userKey=AQD-edge'], { stdio: 'ignore' });
    const secret = await server.api('POST', `${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'edge-csi-creds' }, data: { userKey: Buffer.from('AQD-edge').toString('base64') } });
    assert.equal(secret.status, 201, JSON.stringify(secret.body));
    const sc = await server.api('POST', '/apis/storage.k8s.io/v1/storageclasses', {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 's3-edge-csi' }, provisioner: DRIVER,
      reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
      // The driver refuses CreateVolume, NodeStage and DeleteVolume without this secret: the node reads it
      // over HTTP with its own credential (authz: secrets its drivers' classes and volumes name).
      parameters: {
        'csi.storage.k8s.io/provisioner-secret-name': 'edge-csi-creds', 'csi.storage.k8s.io/provisioner-secret-namespace': 'default',
        'csi.storage.k8s.io/node-stage-secret-name': 'edge-csi-creds', 'csi.storage.k8s.io/node-stage-secret-namespace': 'default',
      },
    });
    assert.equal(sc.status, 201, JSON.stringify(sc.body));
  });

  after(async () => {
    await agent?.remove('edge-db');
    driver?.kill('SIGKILL');
    for (const root of [agent?.dataDir ?? '', work].filter(Boolean)) {
      for (const m of mountsUnder(root).reverse()) { try { execFileSync('umount', ['-l', m]); } catch { /* gone already */ } }
    }
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('the node provisions, mounts and deletes its driver\'s volume', async () => {
    await server.until('driver on the Node', async () => {
      const n = await get<{ metadata: { annotations?: Record<string, string>; labels?: Record<string, string> } }>(`/api/v1/nodes/${NODE}`);
      return n?.metadata.annotations?.['csi.volume.kubernetes.io/nodeid']?.includes(DRIVER) && n.metadata.labels?.['topology.hostpath.csi/node'] === NODE;
    });
    const c = await server.api('POST', `${ns}/persistentvolumeclaims`, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'edge-data' },
      spec: { storageClassName: 's3-edge-csi', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } },
    });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    const p = await server.api('POST', `${ns}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'edge-db' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'db', image: 'busybox', command: ['sh', '-c', 'echo edge-rows > /data/f && echo wrote; sleep 3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'edge-data' } }],
      },
    });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    const pod = await server.until('pod Running', async () => { const x = await get<PodView>(`${ns}/pods/edge-db`); return x?.status?.phase === 'Running' ? x : undefined; }, 90_000);
    assert.equal(pod.spec.nodeName, NODE);
    const claim = await get<ClaimView>(`${ns}/persistentvolumeclaims/edge-data`);
    assert.equal(claim?.status?.phase, 'Bound');
    const pv = await get<VolumeView>(`/api/v1/persistentvolumes/${claim?.spec.volumeName ?? ''}`);
    assert.equal(pv?.spec.csi?.driver, DRIVER);
    assert.deepEqual(pv?.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0], { key: 'topology.hostpath.csi/node', operator: 'In', values: [NODE] });
    const handle = pv?.spec.csi?.volumeHandle ?? '';
    await server.until('the write landed in the driver\'s directory', async () => existsSync(path.join(work, 'hostpath', 'volumes', handle, 'f')), 30_000);

    await server.api('DELETE', `${ns}/pods/edge-db?gracePeriodSeconds=0`);
    await server.until('pod gone', async () => (await get(`${ns}/pods/edge-db`)) === undefined, 60_000);
    await server.until('no CSI mount left on the node', async () => mountsUnder(path.join(agent!.dataDir, 'csi')).length === 0, 30_000);
    await server.api('DELETE', `${ns}/persistentvolumeclaims/edge-data`);
    await server.until('PV and data gone (DeleteVolume by the node)', async () => !existsSync(path.join(work, 'hostpath', 'volumes', handle)) && (await get(`/api/v1/persistentvolumes/${claim?.spec.volumeName ?? ''}`)) === undefined, 60_000);
  });
});
