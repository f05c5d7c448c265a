/**
 * NFS storage end to end: a real NFS server (nfs-ganesha) on the host bridge, a real lanternd server
 * and two agents in their own network namespaces. An nfs StorageClass provisions a subdirectory per
 * claim; a ReadWriteMany claim is used by pods on both nodes at once; seed 000's database pod comes
 * back on the other node after a drain and finds its data; a server that is down holds the container
 * with a clear reason; nothing stays mounted on a node after its pods are gone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { freeHostPort } from './harness/cli.js';
import { NetnsHosts } from './harness/netns-hosts.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { NfsServer } from './harness/nfs-server.js';

interface PodView { spec: { nodeName?: string }; status?: { phase?: string; containerStatuses?: { state?: { waiting?: { reason?: string; message?: string } } }[] } }
interface ClaimView { metadata: { uid: string }; spec: { volumeName?: string }; status?: { phase?: string } }

describe('NFS volumes across two nodes (nfs-ganesha, agents in network namespaces)', { timeout: 300_000 }, () => {
  const net = new NetnsHosts(2);
  const nfs = new NfsServer();
  const agents: RemoteAgent[] = [];
  let server: TestServer | undefined;
  const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
  const logs = (): string => agents.map((a) => `\n--- ${a.name} ---\n${a.log.slice(-2500)}`).join('');
  /** NFS mounts an agent holds (they live in the host's mount namespace, under the agent's root). */
  const nfsMounts = (a: RemoteAgent): string[] => readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(a.root) && l.includes('lantern-nfs'));

  async function createPod(name: string, claim: string, script: string, node?: string): Promise<void> {
    const r = await srv().api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: {
        ...(node ? { nodeSelector: { 'kubernetes.io/hostname': node } } : {}), terminationGracePeriodSeconds: 1,
        containers: [{ name: 'db', image: 'busybox', command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/var/lib/mysql' }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const pod = async (name: string): Promise<PodView | undefined> => {
    const r = await srv().api<PodView>('GET', `/api/v1/namespaces/default/pods/${name}`);
    return r.status === 200 ? r.body : undefined;
  };
  const running = (name: string): Promise<PodView> => srv().until(`pod ${name} Running${logs()}`, async () => {
    const p = await pod(name);
    return p?.status?.phase === 'Running' ? p : undefined;
  }, 90_000);
  const logsOf = async (name: string): Promise<string> => (await srv().lcctl(['logs', name])).stdout;
  async function deletePod(name: string): Promise<void> {
    await srv().api('DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=0`);
    await srv().until(`pod ${name} gone`, async () => (await pod(name)) === undefined, 60_000);
  }
  async function createClaim(name: string): Promise<ClaimView> {
    const r = await srv().api('POST', '/api/v1/namespaces/default/persistentvolumeclaims', {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
      spec: { storageClassName: 's2-nfs', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return srv().until(`claim ${name} Bound`, async () => {
      const c = (await srv().api<ClaimView>('GET', `/api/v1/namespaces/default/persistentvolumeclaims/${name}`)).body;
      return c.status?.phase === 'Bound' ? c : undefined;
    }, 90_000).catch(async (e: unknown) => {
      // The claim's events say why (ProvisioningFailed names the NFS error).
      const events = (await srv().lcctl(['get', 'events', '-o', 'wide'])).stdout;
      throw new Error(`${(e as Error).message}\n--- events ---\n${events}`);
    });
  }

  before(async () => {
    net.create();
    await nfs.start();
    const port = await freeHostPort();
    server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${port}`, '--tls-san', net.gateway], { https: true });
    await server.start();
    for (const h of net.hosts) {
      const a = new RemoteAgent(server, `s2-nfs-${h.index}`, { prefix: net.enter(h), bridge: `ls${net.id}${h.index}`, args: ['--heartbeat-interval', '1s'] });
      agents.push(a);
      await a.start();
    }
    const sc = await server.api('POST', '/apis/storage.k8s.io/v1/storageclasses', {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 's2-nfs' }, provisioner: 'lantern.dev/nfs',
      parameters: { server: net.gateway, share: nfs.exportDir, port: String(nfs.nfsPort), mountPort: String(nfs.mountPort) },
      reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate',
    });
    assert.equal(sc.status, 201, JSON.stringify(sc.body));
  });

  after(async () => {
    await Promise.all(agents.map((a) => a.remove('s2-writer', 's2-reader', 'mysql', 's2-late')));
    const left = agents.flatMap(nfsMounts);
    await server?.stop();
    net.destroy();
    await nfs.destroy();
    assert.deepEqual(left, [], 'an agent left NFS mounts behind');
  });

  test('a ReadWriteMany claim: a subdirectory on the export, written on one node and read on the other', async () => {
    const claim = await createClaim('s2-shared');
    const dir = join(nfs.exportDir, `default-s2-shared-pvc-${claim.metadata.uid}`);
    assert.ok(existsSync(dir), `the provisioner made ${dir}`);
    await createPod('s2-writer', 's2-shared', 'echo from-node-1 > /var/lib/mysql/note && sleep 3600', 's2-nfs-1');
    await createPod('s2-reader', 's2-shared', 'until cat /var/lib/mysql/note; do sleep 1; done; sleep 3600', 's2-nfs-2');
    assert.equal((await running('s2-writer')).spec.nodeName, 's2-nfs-1');
    assert.equal((await running('s2-reader')).spec.nodeName, 's2-nfs-2');
    await srv().until(`the reader on node 2 sees node 1's file${logs()}`, async () => (await logsOf('s2-reader')).includes('from-node-1'), 60_000);
    assert.equal(readFileSync(join(dir, 'note'), 'utf8'), 'from-node-1\n', 'the data is on the NFS server');
    await deletePod('s2-writer');
    await deletePod('s2-reader');
    await srv().until('both nodes unmount the volume after their pods', async () => agents.every((a) => nfsMounts(a).length === 0), 30_000);
    // Reclaim policy Delete: deleting the claim removes its directory on the server.
    await srv().api('DELETE', '/api/v1/namespaces/default/persistentvolumeclaims/s2-shared');
    await srv().until(`${dir} removed by the Delete reclaim policy`, async () => !existsSync(dir), 60_000);
  });

  test("seed 000: the database pod on claimName nvme-pvc comes back on the other node after a drain and finds its data", async () => {
    await createClaim('nvme-pvc');
    await createPod('mysql', 'nvme-pvc', 'test -f /var/lib/mysql/ibdata1 && echo found-old-data; echo rows >> /var/lib/mysql/ibdata1 && echo wrote; sleep 3600', 's2-nfs-1');
    await running('mysql');
    await srv().until('the first write', async () => (await logsOf('mysql')).includes('wrote'), 30_000);
    const drain = await srv().lcctl(['drain', 's2-nfs-1', '--force', '--grace-period', '1']);
    assert.equal(drain.code, 0, drain.stderr);
    await srv().until('mysql gone from the drained node', async () => (await pod('mysql')) === undefined, 60_000);
    // Created again as the operator would; node 1 is cordoned, so it lands on node 2.
    await createPod('mysql', 'nvme-pvc', 'test -f /var/lib/mysql/ibdata1 && echo found-old-data; sleep 3600');
    assert.equal((await running('mysql')).spec.nodeName, 's2-nfs-2');
    await srv().until(`the pod on node 2 finds the data${logs()}`, async () => (await logsOf('mysql')).includes('found-old-data'), 60_000);
    assert.deepEqual(nfsMounts(agents[0]!), [], 'nothing stays mounted on the drained node');
    await srv().lcctl(['uncordon', 's2-nfs-1']);
    await deletePod('mysql');
  });

  test('an NFS server that is down holds the container with a clear reason; it starts once the server is back', async () => {
    await nfs.stop();
    try {
      await createPod('s2-late', 'nvme-pvc', 'ls /var/lib/mysql; sleep 3600', 's2-nfs-1');
      const waiting = await srv().until(`s2-late waiting on its volume${logs()}`, async () => {
        const w = (await pod('s2-late'))?.status?.containerStatuses?.[0]?.state?.waiting;
        return w?.reason === 'NFSMountFailed' ? w : undefined;
      }, 90_000);
      assert.match(waiting.message ?? '', /cannot mount NFS export .*nvme-pvc/);
      assert.deepEqual(nfsMounts(agents[0]!), [], 'a failed mount leaves nothing mounted');
      const described = await srv().lcctl(['describe', 'pod', 's2-late']);
      assert.match(described.stdout, /NFSMountFailed/);
    } finally {
      await nfs.start();
    }
    await running('s2-late');
    assert.match(await srv().until('ls output', async () => { const l = await logsOf('s2-late'); return l.includes('ibdata1') ? l : undefined; }, 30_000), /ibdata1/);
    await deletePod('s2-late');
  });
});
