/**
 * Nothing stays mounted after its pod is gone, across agent restarts (issue 15 item 10): a remote agent
 * holds an NFS volume (nfs-ganesha, FUSE helper) for a pod; the agent is killed, the pod deleted while
 * it is down, and the agent started again unmounts the volume (checked with findmnt on the node). A pod
 * adopted after a restart (its mount remembered only by the mounter's files) is unmounted when deleted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { NfsServer } from './harness/nfs-server.js';

interface PodView { status?: { phase?: string } }
interface ClaimView { spec: { volumeName?: string }; status?: { phase?: string } }

describe('NFS mounts of pods that end across an agent restart', { timeout: 600_000 }, () => {
  const server = new TestServer(['--no-agent']);
  const agent = new RemoteAgent(server, 's2b-nfs-restart');
  const nfs = new NfsServer();
  let pvDir = '';
  /** The node's FUSE NFS mounts under the agent's data dir, as findmnt lists them. */
  const nfsMounts = (): string[] => spawnSync('findmnt', ['-rn', '-o', 'TARGET,SOURCE,FSTYPE'], { encoding: 'utf8' }).stdout
    .split('\n').filter((l) => l.startsWith(agent.root) && /lantern-nfs|fuse/.test(l));

  async function podOn(name: string): Promise<void> {
    const r = await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: {
        terminationGracePeriodSeconds: 0, restartPolicy: 'Never',
        containers: [{ name: 'db', image: 'busybox', command: ['sh', '-c', `echo ${name} >> /data/log; sleep 3600`], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'shared' } }],
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await server.until(`pod ${name} Running\n${agent.log.slice(-2000)}`, async () => (await server.api<PodView>('GET', `/api/v1/namespaces/default/pods/${name}`)).body.status?.phase === 'Running', 120_000);
  }
  async function deletePod(name: string): Promise<void> {
    // The second grace-0 delete removes a pod at once even when no agent is there to finish the first (a force delete).
    await server.api('DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=0`);
    await server.api('DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=0`);
    await server.until(`pod ${name} gone`, async () => (await server.api('GET', `/api/v1/namespaces/default/pods/${name}`)).status === 404, 60_000);
  }

  before(async () => {
    await nfs.start();
    await server.start();
    await agent.start();
    const sc = await server.api('POST', '/apis/storage.k8s.io/v1/storageclasses', {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 's2b-nfs' }, provisioner: 'lantern.dev/nfs',
      parameters: { server: '127.0.0.1', share: nfs.exportDir, port: String(nfs.nfsPort), mountPort: String(nfs.mountPort) },
    });
    assert.equal(sc.status, 201, JSON.stringify(sc.body));
    const c = await server.api('POST', '/api/v1/namespaces/default/persistentvolumeclaims', {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'shared' },
      spec: { storageClassName: 's2b-nfs', accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } },
    });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    const bound = await server.until('claim shared Bound', async () => {
      const v = (await server.api<ClaimView>('GET', '/api/v1/namespaces/default/persistentvolumeclaims/shared')).body;
      return v.status?.phase === 'Bound' ? v : undefined;
    }, 60_000);
    pvDir = join(agent.dataDir, 'nfs', bound.spec.volumeName ?? '');
  });

  after(async () => {
    await agent.remove('db-1', 'db-2').catch(() => undefined);
    for (const l of nfsMounts()) spawnSync('umount', ['-l', l.split(' ')[0]!]);
    await server.stop();
    await nfs.destroy();
  });

  test('a pod deleted while the agent is down: the restarted agent unmounts its volume', async () => {
    await podOn('db-1');
    assert.equal(nfsMounts().length, 1, `one NFS mount on the node: ${nfsMounts().join('; ')}`);
    await agent.kill9();
    await deletePod('db-1');
    assert.equal(nfsMounts().length, 1, 'nobody on the node has unmounted it yet');
    await agent.start();
    await server.until(`no NFS mount left on the node: ${nfsMounts().join('; ')}\n${agent.log.slice(-6000)}`, async () => nfsMounts().length === 0, 150_000);
    // The directory is removed just after the unmount (the same step): wait for it, it must go.
    await server.until('the PV directory under DATA_DIR/nfs goes with the mount', async () => !existsSync(pvDir), 30_000);
  });

  test('a pod adopted after a restart is unmounted when it is deleted; its data stays on the server', async () => {
    await podOn('db-2');
    await agent.kill9();
    await agent.start();
    await server.until('db-2 still Running after the restart', async () => (await server.api<PodView>('GET', '/api/v1/namespaces/default/pods/db-2')).body.status?.phase === 'Running', 60_000);
    assert.equal(nfsMounts().length, 1, 'the adopted pod keeps its mount');
    await deletePod('db-2');
    await server.until(`no NFS mount left after db-2: ${nfsMounts().join('; ')}\n${agent.log.slice(-6000)}`, async () => nfsMounts().length === 0, 150_000);
    const log = spawnSync('sh', ['-c', `cat ${nfs.exportDir}/*/log`], { encoding: 'utf8' }).stdout;
    assert.match(log, /db-1\ndb-2\n/, 'unmounting deletes nothing on the server');
    assert.ok(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').every((l) => !l.includes(agent.root) || !l.includes('fuse')), 'no FUSE mount of the agent is left');
  });
});
