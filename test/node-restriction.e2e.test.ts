import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { waitNodeReady } from './harness/remote-nodes.js';
import { netContains, parseIpNet } from '../src/api/ip.js';

interface NodeView { metadata: { name: string; labels?: Record<string, string>; resourceVersion?: string }; spec?: { taints?: { key: string; value?: string; effect: string }[]; podCIDR?: string; unschedulable?: boolean }; status?: { capacity?: Record<string, string> } }
interface PodView { metadata: { name: string }; spec: { nodeName?: string }; status?: { phase?: string; podIP?: string; podIPs?: { ip: string }[] } }
interface ErrorView { reason?: string; message?: string; details?: { causes?: { field: string; message: string }[]; retryAfterSeconds?: number } }

/**
 * Node restriction (issue 11, items 2 and 3) over HTTP, with the credential a real `lanternd agent`
 * got when it joined: what that node may and may not write, and that the agent itself keeps working.
 */
describe('node restriction: a joined node\'s own credential over HTTP', { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent', '--node-event-qps', '0.01', '--node-event-burst', '2', '--node-protected-label-prefixes', 'example.com/']);
  const agent = new RemoteAgent(server, 'edge-nr', { args: ['--labels', 'zone=a,rack=r1'] });
  let credential = '';

  /** A request with the node's credential; fetch, for the headers (the server speaks plain HTTP here). */
  async function asNode<T = ErrorView>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T; retryAfter: string | null }> {
    const r = await fetch(server.url + p, { method, headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: await r.json() as T, retryAfter: r.headers.get('retry-after') };
  }
  const node = async (): Promise<NodeView> => (await server.api<NodeView>('GET', '/api/v1/nodes/edge-nr')).body;
  const fields = (e: ErrorView): string[] => (e.details?.causes ?? []).map((c) => c.field);
  /** Read the Node, change it and PUT it as the node, reading again on a 409 (the agent's heartbeats and the server's writes race any edit). */
  async function nodeEdits(p: string, change: (n: NodeView) => unknown): Promise<{ status: number; body: ErrorView }> {
    for (let attempt = 0; ; attempt++) {
      const r = await asNode('PUT', p, change(await node()));
      if (r.status !== 409 || attempt >= 20) return r;
    }
  }

  before(async () => {
    await server.start();
    await agent.start();
    credential = readFileSync(path.join(agent.dataDir, 'node-credential'), 'utf8').trim();
    // The admin labels and taints the node, and takes over one of the labels the node reported.
    // Read-modify-write, again on a Conflict: the new Node is still being written (its pod range by the
    // server, its network annotations and heartbeats by the agent), as any admin's edit would be.
    const put = await server.until('the admin\'s edit of the Node', async () => {
      const n = await node();
      const r = await server.api('PUT', '/api/v1/nodes/edge-nr', { ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, team: 'ml', zone: 'admin-zone' } }, spec: { ...n.spec, taints: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }] } });
      return r.status === 409 ? undefined : r;
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
  });

  after(async () => {
    await agent.remove('nr-pod');
    await server.stop();
  });

  test('the node may not give itself a protected role or a label under a prefix the admin reserved (403 naming the label)', async () => {
    for (const key of ['node-role.kubernetes.io/control-plane', 'example.com/tier']) {
      const r = await nodeEdits('/api/v1/nodes/edge-nr', (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, [key]: 'x' } } }));
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.reason, 'Forbidden');
      assert.ok(fields(r.body).includes(`metadata.labels.${key}`), JSON.stringify(r.body));
      assert.match(r.body.message ?? '', /reserved for admins/);
    }
    assert.equal((await node()).metadata.labels?.['node-role.kubernetes.io/control-plane'], undefined);
  });

  test('the node may not remove the taint and the label the admin set, nor uncordon itself', async () => {
    const r = await nodeEdits('/api/v1/nodes/edge-nr', (n) => {
      const { team: _team, ...labels } = n.metadata.labels ?? {};
      return { ...n, metadata: { ...n.metadata, labels }, spec: { ...n.spec, taints: [] } };
    });
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.deepEqual(fields(r.body).sort(), ['metadata.labels.team', 'spec.taints']);
    const after = await node();
    assert.equal(after.metadata.labels?.team, 'ml');
    assert.deepEqual(after.spec?.taints, [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }]);
    // Cordoned by the admin, the node may not uncordon itself.
    assert.equal((await server.lcctl(['cordon', 'edge-nr'])).code, 0);
    const un = await nodeEdits('/api/v1/nodes/edge-nr', (cordoned) => ({ ...cordoned, spec: { ...cordoned.spec, unschedulable: false } }));
    assert.equal(un.status, 403, JSON.stringify(un.body));
    assert.deepEqual(fields(un.body), ['spec.unschedulable']);
    assert.equal((await server.lcctl(['uncordon', 'edge-nr'])).code, 0);
  });

  test('the node may not claim 100000 CPUs (403 naming status.capacity.cpu); the scheduler keeps seeing the real number', async () => {
    const real = (await node()).status?.capacity?.cpu;
    const r = await nodeEdits('/api/v1/nodes/edge-nr/status', (n) => ({ ...n, status: { ...n.status, capacity: { ...n.status?.capacity, cpu: '100000' }, allocatable: { ...n.status?.capacity, cpu: '100000' } } }));
    assert.equal(r.status, 403, JSON.stringify(r.body));
    assert.ok(fields(r.body).includes('status.capacity.cpu'), JSON.stringify(r.body));
    assert.match(r.body.message ?? '', /at most 8192/);
    assert.equal((await node()).status?.capacity?.cpu, real);
  });

  test('pod status: a podIP with a line break is 400 Invalid on status.podIP; one outside the node\'s pod range is 403; the agent\'s own writes go on', async () => {
    // The admin's taint keeps other pods away: this one tolerates it.
    const created = await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nr-pod' },
      spec: { nodeName: 'edge-nr', tolerations: [{ key: 'dedicated', operator: 'Exists' }], containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const pod = await server.until('nr-pod Running', async () => {
      const r = await server.api<PodView>('GET', '/api/v1/namespaces/default/pods/nr-pod');
      return r.body.status?.phase === 'Running' && r.body.status.podIP ? r.body : undefined;
    }, 60_000);
    const ip = pod.status?.podIP ?? '';
    assert.match(ip, /^10\.\d+\.\d+\.\d+$/);
    const forged = await asNode('PUT', '/api/v1/namespaces/default/pods/nr-pod/status', { ...pod, status: { ...pod.status, podIP: `${ip}\n6.6.6.6 pypi.org files.pythonhosted.org`, podIPs: undefined } });
    assert.equal(forged.status, 422, JSON.stringify(forged.body));
    assert.equal(forged.body.reason, 'Invalid');
    assert.ok(fields(forged.body).includes('status.podIP'), JSON.stringify(forged.body));
    // The server gave the node its pod range (spec.podCIDR); the pod's IP is inside it, so the agent's writes pass.
    const podCIDR = (await node()).spec?.podCIDR ?? '';
    assert.ok(netContains(parseIpNet(podCIDR)!, ip), `${ip} inside the node's podCIDR ${podCIDR}`);
    const current = (await server.api<PodView>('GET', '/api/v1/namespaces/default/pods/nr-pod')).body;
    const outside = await asNode('PUT', '/api/v1/namespaces/default/pods/nr-pod/status', { ...current, status: { ...current.status, podIP: '192.0.2.66', podIPs: [{ ip: '192.0.2.66' }] } });
    assert.equal(outside.status, 403, JSON.stringify(outside.body));
    assert.match(outside.body.message ?? '', /outside this node's pod range/);
    const stored = (await server.api<PodView>('GET', '/api/v1/namespaces/default/pods/nr-pod')).body;
    assert.equal(stored.status?.podIP, ip);
    const wide = await server.lcctl(['get', 'pods', '-o', 'wide']);
    assert.equal(wide.code, 0, wide.stderr);
    assert.doesNotMatch(wide.stdout, /pypi/);
  });

  test('events: only about its own objects, and over its token bucket 429 with Retry-After', async () => {
    const event = (i: number, involvedObject: object): object => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: `edge-nr.test-${i}`, namespace: 'default' }, involvedObject, reason: 'Probe', message: 'probe', type: 'Normal' });
    const other = await asNode('POST', '/api/v1/namespaces/default/events', event(0, { kind: 'Node', name: 'node-1', namespace: 'default' }));
    assert.ok(other.status === 403 || other.status === 429, JSON.stringify(other.body));
    const answers = [];
    for (let i = 1; i <= 3; i++) answers.push(await asNode('POST', '/api/v1/namespaces/default/events', event(i, { kind: 'Node', name: 'edge-nr', namespace: 'default' })));
    const limited = answers.find((a) => a.status === 429);
    assert.ok(limited, `burst 2 at 0.01/s: one of 3 events is refused (${answers.map((a) => a.status).join(', ')})`);
    assert.equal(limited.body.reason, 'TooManyRequests');
    assert.ok(Number(limited.retryAfter) >= 1, `Retry-After: ${String(limited.retryAfter)}`);
  });

  test('a restarted agent comes back Ready over the Node the admin changed, and keeps the admin\'s labels and taint', async () => {
    const joined = (): number => agent.log.split('node edge-nr joined').length - 1;
    const before = joined();
    const restartedAt = new Date(Date.now() - 1000).toISOString();
    await agent.kill9();
    await agent.start();
    await waitNodeReady(server, 'edge-nr', () => agent.log);
    // Registered again (the agent prints "joined" once its Node is written) and beating afresh.
    await server.until(`the agent re-registered (log: ${agent.log})`, async () => joined() === before + 1, 60_000);
    await server.until('a fresh heartbeat', async () => (await server.api<{ status?: { conditions?: { type: string; lastHeartbeatTime?: string }[] } }>('GET', '/api/v1/nodes/edge-nr')).body.status?.conditions?.some((c) => c.type === 'Ready' && (c.lastHeartbeatTime ?? '') > restartedAt), 30_000);
    const n = await node();
    assert.equal(n.metadata.labels?.team, 'ml');
    assert.equal(n.metadata.labels?.zone, 'admin-zone', 'the label the admin took over keeps the admin\'s value');
    assert.equal(n.metadata.labels?.rack, 'r1', 'the node\'s own labels stay');
    assert.deepEqual(n.spec?.taints, [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }]);
    assert.doesNotMatch(agent.log, /Forbidden/);
  });
});
