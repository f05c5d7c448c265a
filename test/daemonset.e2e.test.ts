/**
 * A DaemonSet over real machines: a real HTTPS `lanternd server --no-agent` and real `lanternd agent`s,
 * each in its own network namespace (test/harness/netns-hosts.ts). Every node runs one pod of the set
 * (placed by the scheduler on the node its affinity names); a node that joins later gets its pod; a
 * RollingUpdate (maxUnavailable 1) replaces every pod and `lcctl rollout status` follows it; `rollout
 * undo` brings the previous template back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Pod } from '../src/api/pod.js';
import { TestServer } from './harness/lanternd.js';
import { Cli, freeHostPort } from './harness/cli.js';
import { NetnsHosts } from './harness/netns-hosts.js';
import { RemoteAgent } from './harness/remote-agent.js';

interface List<T> { items: T[] }

const manifest = (version: string): string => `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: collector}
spec:
  selector: {matchLabels: {app: collector}}
  template:
    metadata: {labels: {app: collector}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:latest
        env: [{name: VERSION, value: "${version}"}]
        command: [sh, -c, 'trap "exit 0" TERM; while :; do sleep 1; done']
`;

describe('DaemonSet across machines', { timeout: 300_000 }, () => {
  const net = new NetnsHosts(3);
  const names = net.hosts.map((h) => `ds-host-${h.index}`);
  const agents: RemoteAgent[] = [];
  let server: TestServer | undefined;
  const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
  const cli = (): Cli => new Cli(srv());

  const live = async (): Promise<Pod[]> => (await srv().api<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dcollector')).body.items
    .filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running');
  const onNodes = async (version?: string): Promise<string[]> => (await live())
    .filter((p) => version === undefined || p.spec.containers[0]!.env?.[0]?.value === version).map((p) => p.spec.nodeName ?? '').sort();
  const logs = (): string => agents.map((a) => `\n--- ${a.name} ---\n${a.log.slice(-1500)}`).join('');

  before(async () => {
    net.create();
    server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${await freeHostPort()}`, '--tls-san', net.gateway], { https: true });
    await server.start();
    for (const h of net.hosts) {
      agents.push(new RemoteAgent(server, names[h.index - 1]!, { prefix: net.enter(h), bridge: `ld${net.id}${h.index}`, args: ['--heartbeat-interval', '1s'] }));
    }
    await Promise.all(agents.slice(0, 2).map((a) => a.start()));
  });

  after(async () => {
    await server?.lcctl(['delete', 'daemonset', 'collector']);
    await server?.until('daemon pods gone', async () => (await srv().api<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dcollector')).body.items.length === 0, 60_000).catch(() => undefined);
    await Promise.all(agents.map((a) => a.remove()));
    net.destroy();
    await server?.stop();
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => agents.some((a) => l.includes(a.root)));
    assert.deepEqual([...net.leftovers(), ...mounts], [], 'the test left network namespaces, links or mounts behind');
  });

  test('one pod on each node, and a node that joins gets its own', async () => {
    assert.match(await cli().ok(['apply', '-f', '-'], manifest('1')), /daemonset\.apps\/collector created/);
    await srv().until(`a pod running on both nodes${logs()}`, async () => JSON.stringify(await onNodes()) === JSON.stringify(names.slice(0, 2)), 120_000);
    assert.match(await cli().ok(['get', 'ds']), /\ncollector\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\S+\n/);
    await agents[2]!.start();
    await srv().until(`the new node ${names[2]} runs its pod${logs()}`, async () => JSON.stringify(await onNodes()) === JSON.stringify(names), 120_000);
    assert.match(await cli().ok(['rollout', 'status', 'ds/collector', '--timeout', '60s']), /daemon set "collector" successfully rolled out/);
  });

  test('a rolling update replaces every pod, and rollout undo brings the old template back', async () => {
    await cli().ok(['apply', '-f', '-'], manifest('2'));
    const status = await cli().ok(['rollout', 'status', 'daemonset/collector', '--timeout', '180s']);
    assert.match(status, /daemon set "collector" successfully rolled out\n$/);
    await srv().until(`every node runs version 2${logs()}`, async () => JSON.stringify(await onNodes('2')) === JSON.stringify(names), 60_000);
    assert.equal((await live()).length, 3, 'one pod per node, no more');
    assert.match(await cli().ok(['rollout', 'history', 'ds/collector']), /\n1\s+<none>\n2\s+<none>\n/);
    assert.equal(await cli().ok(['rollout', 'undo', 'ds/collector']), 'daemonset.apps/collector rolled back\n');
    await cli().ok(['rollout', 'status', 'ds/collector', '--timeout', '180s']);
    await srv().until(`every node runs version 1 again${logs()}`, async () => JSON.stringify(await onNodes('1')) === JSON.stringify(names), 60_000);
  });
});
