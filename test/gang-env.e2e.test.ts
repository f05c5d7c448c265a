/**
 * Gang members learn each other as PyTorch's launcher expects (RANK, WORLD_SIZE, MASTER_ADDR,
 * MASTER_PORT, /etc/hosts): a real server (scheduler, Job controller, agent) running busybox pods
 * with runc and CNI. The members wait (WaitingForGang) with their pod IP published until all have one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import type { Job } from '../src/api/schema/job.js';
import type { Pod } from '../src/api/pod.js';
import type { ObjectList } from '../src/api/meta.js';

// Prints what the launcher would read, how the master's name resolves (ping's first line names the
// address even when rank 0 has already exited), and the hosts file.
const script = 'echo "gang rank=$RANK world=$WORLD_SIZE master=$MASTER_ADDR port=$MASTER_PORT"; ping -c1 -W1 "$MASTER_ADDR" 2>&1 | head -1; cat /etc/hosts';

const gangJob: Job = {
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'train' },
  spec: {
    completions: 3, parallelism: 3, completionMode: 'Indexed', minAvailable: 3,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] } },
  },
};

const groupPod = (name: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, annotations: { 'scheduling.lantern.dev/group': 'pg', 'scheduling.lantern.dev/master-port': '23456' } },
  spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }], ...extra },
});

describe('gang members learn each other (RANK, WORLD_SIZE, MASTER_ADDR, /etc/hosts)', { timeout: 180_000 }, () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); });

  const pods = async (selector: string): Promise<Pod[]> =>
    (await server.api<ObjectList<Pod>>('GET', `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(selector)}`)).body.items;
  const pod = async (name: string): Promise<Pod> => (await server.api<Pod>('GET', `/api/v1/namespaces/default/pods/${name}`)).body;

  /** The gang line, the address ping resolved MASTER_ADDR to, and the hosts file's name -> IP. */
  async function report(name: string): Promise<{ rank: string; world: string; master: string; port: string; resolved: string; hosts: Map<string, string> }> {
    const out = await cli.ok(['logs', name]);
    const g = /gang rank=(\S*) world=(\S*) master=(\S*) port=(\S*)/.exec(out);
    assert.ok(g, `no gang line in the logs of ${name}:\n${out}`);
    const resolved = /PING \S+ \(([0-9.]+)\)/.exec(out)?.[1] ?? `unresolved: ${out}`;
    const hosts = new Map<string, string>();
    for (const m of out.matchAll(/^([0-9.]+)\s+(\S+)$/gm)) hosts.set(m[2]!, m[1]!);
    return { rank: g[1]!, world: g[2]!, master: g[3]!, port: g[4]!, resolved, hosts };
  }

  test('an Indexed Job with minAvailable 3: ranks 0, 1, 2, world size 3, MASTER_ADDR resolves to rank 0\'s pod IP in every member', async () => {
    const created = await server.api('POST', '/apis/batch/v1/namespaces/default/jobs', gangJob);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await cli.ok(['wait', '--for=condition=complete', 'job/train', '--timeout=90s']);
    const members = await pods('batch.kubernetes.io/job-name=train');
    assert.equal(members.length, 3);
    const byIndex = new Map(members.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] ?? '', p]));
    const rank0IP = byIndex.get('0')?.status?.podIP;
    assert.ok(rank0IP, 'rank 0 reported a pod IP');
    const ranks: string[] = [];
    for (const p of members) {
      const r = await report(p.metadata.name);
      ranks.push(r.rank);
      assert.equal(r.rank, p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], 'RANK is the completion index');
      assert.equal(r.world, '3');
      assert.equal(r.master, 'train-0', 'MASTER_ADDR is rank 0\'s hostname');
      assert.equal(r.port, '29500');
      assert.equal(r.resolved, rank0IP, `MASTER_ADDR resolves to rank 0's pod IP inside ${p.metadata.name}`);
      for (const [i, m] of byIndex) assert.equal(r.hosts.get(`train-${i}`), m.status?.podIP, `${p.metadata.name}'s /etc/hosts names train-${i}`);
    }
    assert.deepEqual(ranks.sort(), ['0', '1', '2']);
  });

  test('PodGroup minMember 3: bound members wait with their pod IP published until the third has one; ranks follow the names', async () => {
    const pg = await server.api('POST', '/apis/lantern.dev/v1/namespaces/default/podgroups', { apiVersion: 'lantern.dev/v1', kind: 'PodGroup', metadata: { name: 'pg' }, spec: { minMember: 3 } });
    assert.equal(pg.status, 201, JSON.stringify(pg.body));
    // Bound directly to the node, so the agent runs them before the gang is complete.
    for (const name of ['pg-b', 'pg-a']) assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', groupPod(name, { nodeName: 'node-1' }))).status, 201);
    for (const name of ['pg-a', 'pg-b']) {
      await server.until(`${name} waits for its gang with its pod IP published`, async () => {
        const p = await pod(name);
        const w = p.status?.containerStatuses?.[0]?.state.waiting;
        return p.status?.podIP && w?.reason === 'WaitingForGang' && w.message === 'waiting for 1 of 3 members of group pg to get addresses';
      }, 60_000);
    }
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', groupPod('pg-c'))).status, 201);
    for (const name of ['pg-a', 'pg-b', 'pg-c']) await server.until(`${name} succeeded`, async () => (await pod(name)).status?.phase === 'Succeeded', 60_000);
    assert.match(await cli.ok(['get', 'podgroups']), /^pg\s+Scheduled\s+3\s+3\s+\S+$/m, 'the scheduler wrote the group\'s status: placed, 3 members on nodes');
    const ip = new Map<string, string>();
    for (const name of ['pg-a', 'pg-b', 'pg-c']) ip.set(name, (await pod(name)).status?.podIP ?? '');
    for (const [i, name] of ['pg-a', 'pg-b', 'pg-c'].entries()) {
      const r = await report(name);
      assert.deepEqual([r.rank, r.world, r.master, r.port], [String(i), '3', 'pg-a', '23456']);
      assert.equal(r.resolved, ip.get('pg-a'));
      for (const [n, addr] of ip) assert.equal(r.hosts.get(n), addr, `${name}'s /etc/hosts names ${n}`);
    }
  });

  test('a member waiting for its gang is deleted at once', async () => {
    const lonely = groupPod('lonely-a', { nodeName: 'node-1' });
    lonely.metadata.annotations = { 'scheduling.lantern.dev/group': 'lonely', 'scheduling.lantern.dev/group-min-available': '2' };
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', lonely)).status, 201);
    await server.until('lonely-a waits for its gang', async () => (await pod('lonely-a')).status?.containerStatuses?.[0]?.state.waiting?.reason === 'WaitingForGang', 60_000);
    assert.match(await cli.ok(['delete', 'pod', 'lonely-a']), /pod "lonely-a" deleted/);
    await server.until('lonely-a is gone', async () => (await server.api('GET', '/api/v1/namespaces/default/pods/lonely-a')).status === 404, 30_000);
  });
});
