import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';

interface PodView { spec: { runtimeClassName?: string; overhead?: Record<string, string> }; status?: { phase?: string; conditions?: Array<{ type: string; status: string; message?: string }> } }
interface NodeView { status?: { runtimeHandlers?: Array<{ name: string }> } }

const pod = (name: string, ns: string, runtimeClassName?: string, args = ['sh', '-c', 'dmesg | head -1; echo t4-ready; sleep 3600']): object => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { ...(runtimeClassName ? { runtimeClassName } : {}), terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'Never', command: args }] },
});

describe('RuntimeClass: gVisor (runsc) beside runc, per pod and per namespace', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => {
    for (const [ns, name] of [['default', 't4-gvisor'], ['t4-sandboxed', 't4-plain']]) await server.api('DELETE', `/api/v1/namespaces/${ns}/pods/${name}`).catch(() => undefined);
    await server.stop();
  });

  test('the node probes runsc and reports both handlers; the default classes exist', async () => {
    const nodes = await server.api<{ items: NodeView[] }>('GET', '/api/v1/nodes');
    assert.deepEqual(nodes.body.items[0]?.status?.runtimeHandlers?.map((h) => h.name), ['runc', 'runsc']);
    const table = await cli.ok(['get', 'runtimeclasses']);
    assert.match(table, /^runsc\s+runsc\s/m);
    assert.match(table, /^runc\s+runc\s/m);
  });

  test('lcctl run --runtime runsc runs under gVisor\'s kernel; without it, the host\'s', async () => {
    const g = await cli.expect(0, ['run', '--rm', '--runtime', 'runsc', 'busybox', 'sh', '-c', 'dmesg | head -1; uname -r']);
    assert.match(g.stdout, /Starting gVisor/, explain(server, g));
    const plain = await cli.expect(0, ['run', '--rm', 'busybox', 'uname', '-r']);
    assert.notEqual(plain.stdout.trim(), g.stdout.trim().split('\n')[1], 'runc shares the host kernel, gVisor reports its own');
  });

  test('a pod with runtimeClassName runsc reaches Running and its logs work', async () => {
    const r = await server.api('POST', '/api/v1/namespaces/default/pods', pod('t4-gvisor', 'default', 'runsc'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await server.until('t4-gvisor Running', async () => (await server.api<PodView>('GET', '/api/v1/namespaces/default/pods/t4-gvisor')).body.status?.phase === 'Running');
    const logs = await server.until('t4-gvisor logs', async () => {
      const out = await cli.ok(['logs', 't4-gvisor']);
      return out.includes('t4-ready') ? out : undefined;
    });
    assert.match(logs, /Starting gVisor/);
  });

  test('a handler no node has: Pending with the scheduler\'s message; an unknown class is refused', async () => {
    await cli.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 't4-kata' }, handler: 'kata', overhead: { podFixed: { cpu: '250m', memory: '120Mi' } } }));
    const r = await server.api('POST', '/api/v1/namespaces/default/pods', pod('t4-kata-pod', 'default', 't4-kata'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual((r.body as PodView).spec.overhead, { cpu: '250m', memory: '120Mi' }, 'the class overhead is set at admission');
    const msg = await server.until('t4-kata-pod Unschedulable', async () => {
      const p = (await server.api<PodView>('GET', '/api/v1/namespaces/default/pods/t4-kata-pod')).body;
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message;
    });
    assert.equal(msg, '0/1 nodes are available: 1 node(s) do not support runtime handler "kata".');
    await server.api('DELETE', '/api/v1/namespaces/default/pods/t4-kata-pod');
    const missing = await server.api<{ message: string }>('POST', '/api/v1/namespaces/default/pods', pod('t4-nope', 'default', 't4-no-such-class'));
    assert.equal(missing.status, 403);
    assert.match(missing.body.message, /RuntimeClass "t4-no-such-class" not found/);
  });

  test('a namespace labelled lantern.dev/required-runtime-class gives pods that class and refuses another', async () => {
    await cli.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't4-sandboxed', labels: { 'lantern.dev/required-runtime-class': 'runsc' } } }));
    const refused = await server.api<{ message: string }>('POST', '/api/v1/namespaces/t4-sandboxed/pods', pod('t4-runc', 't4-sandboxed', 'runc'));
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /namespace t4-sandboxed requires RuntimeClass "runsc"/);
    const ok = await server.api<PodView>('POST', '/api/v1/namespaces/t4-sandboxed/pods', pod('t4-plain', 't4-sandboxed'));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.spec.runtimeClassName, 'runsc');
    await server.until('t4-plain Running', async () => (await server.api<PodView>('GET', '/api/v1/namespaces/t4-sandboxed/pods/t4-plain')).body.status?.phase === 'Running');
    const logs = await server.until('t4-plain logs', async () => {
      const out = await cli.ok(['logs', '-n', 't4-sandboxed', 't4-plain']);
      return out.includes('t4-ready') ? out : undefined;
    });
    assert.match(logs, /Starting gVisor/);
  });
});
