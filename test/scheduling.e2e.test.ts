// Scheduling with the real lanternd: Swarm-style constraints leave a pod Pending with a
// FailedScheduling event, and a high-priority pod preempts a low-priority one on the single node.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { busyboxPod, getPod, waitContainer } from './harness/pods.js';
import { Cli } from './harness/cli.js';
import { parseBytes } from '../src/api/quantity.js';

describe('scheduling: constraints, events and preemption on a real node', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); });

  test('run --constraint that no node meets stays Pending; get events and describe show FailedScheduling', async () => {
    // Detached, run returns once the pod is known to be unschedulable, as kubectl's pods stay Pending.
    const run = await server.lcctl(['run', '-d', '--name', 'nowhere', '--constraint', 'node.labels.zone==nowhere', 'busybox', 'sleep', '100']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^[0-9a-f]{12}\n$/);
    assert.match(run.stderr, /pending: the container is not scheduled yet: 0\/1 nodes are available/);
    try {
      const message = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.";
      const events = await server.until('the FailedScheduling event', async () => {
        const out = (await cli.run(['get', 'events'])).stdout;
        return out.includes(message) ? out : undefined;
      });
      assert.match(events, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
      assert.match(events, /^\S+(?: \(x\d+ over \S+\))?\s+Warning\s+FailedScheduling\s+pod\/nowhere\s+0\/1 nodes are available/m);
      const pod = await getPod(server, 'nowhere');
      assert.equal(pod?.status?.phase, 'Pending');
      assert.equal(pod?.spec.nodeName, undefined);
      const described = await cli.ok(['describe', 'pod', 'nowhere']);
      assert.match(described, /^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/m);
      assert.match(described, /Warning\s+FailedScheduling\s+\S+(?: \(x\d+ over \S+\))?\s+default-scheduler\s+0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector\./);
      const json = JSON.parse(await cli.ok(['get', 'events', '-o', 'json'])) as { items: { reason?: string; involvedObject: { name?: string } }[] };
      assert.ok(json.items.some((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'nowhere'));
      assert.match(await cli.ok(['get', 'events', '-o', 'yaml']), /reason: FailedScheduling/);
    } finally {
      await cli.run(['delete', 'pod', 'nowhere', '--grace-period', '0']);
    }
  });

  test('a malformed --constraint is a usage error (exit 125)', async () => {
    const r = await cli.expect(125, ['run', '-d', '--constraint', 'node.labels.zone=east', 'busybox', 'true']);
    assert.match(r.stderr, /invalid argument "node.labels.zone=east" for "--constraint" flag: expected node.labels.KEY==VALUE/);
  });

  test('a high-priority pod preempts a low-priority one and runs', async () => {
    const node = await server.api<{ status: { allocatable: Record<string, string> } }>('GET', '/api/v1/nodes/node-1');
    const allocatable = parseBytes(node.body.status.allocatable.memory ?? '');
    assert.ok(allocatable !== undefined && allocatable > 0, `node memory: ${JSON.stringify(node.body.status.allocatable)}`);
    const request = String(Math.floor(allocatable * 0.4));
    const classes = ['low', 'high'].map((name, i) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: i === 0 ? 10 : 1000, description: `${name} test priority` }));
    assert.match(await cli.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: classes })), /priorityclass.scheduling.k8s.io\/high created/);
    assert.match(await cli.ok(['get', 'pc']), /^high\s+1000\s+false\s+\S+\s+PreemptLowerPriority$/m);

    const pod = (name: string, cls: string): unknown => busyboxPod(name, ['sleep', '1000'], {
      spec: { priorityClassName: cls, terminationGracePeriodSeconds: 1 },
      container: { resources: { requests: { memory: request } } },
    });
    await cli.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('low-1', 'low'), pod('low-2', 'low')] }));
    for (const n of ['low-1', 'low-2']) await waitContainer(server, n, 'running', (cs) => cs.state.running !== undefined);

    await cli.ok(['apply', '-f', '-'], JSON.stringify(pod('high', 'high')));
    const high = await waitContainer(server, 'high', 'running after preemption', (cs) => cs.state.running !== undefined, 60_000);
    assert.equal(high.spec.nodeName, 'node-1');
    const left = await Promise.all(['low-1', 'low-2'].map((n) => getPod(server, n)));
    assert.equal(left.filter((p) => p === undefined).length, 1, 'exactly one low-priority pod was preempted');
    const events = await cli.ok(['get', 'events']);
    assert.match(events, /Normal\s+Preempted\s+pod\/low-[12]\s+Preempted by default\/high on node node-1/);
    assert.match(events, /Normal\s+Scheduled\s+pod\/high\s+Successfully assigned default\/high to node-1/);
    const described = await cli.ok(['describe', 'pod', 'high']);
    assert.match(described, /^Priority:\s+1000\nPriority Class Name:\s+high$/m);
    assert.match(described, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/high to node-1/);
  });
});
