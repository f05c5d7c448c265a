import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { eventually } from '../src/testing/eventually.js';
import { policyTableName } from '../src/network/policy/nft.js';

/** A pod manifest: busybox running `script`, labelled. */
const podYaml = (ns: string, name: string, labels: Record<string, string>, script: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: ${JSON.stringify(labels)}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", ${JSON.stringify(script)}]
    ports: [{ name: http, containerPort: 8080 }]
`;

const policyYaml = (from: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-ingress, namespace: np-a }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
  - from: [${from}]
    ports: [{ port: http }]
`;

describe('NetworkPolicy on the server\'s own node (nftables, real pods)', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  let webIp = '';

  before(async () => {
    await server.start();
    await cli.importBusybox();
    await cli.ok(['apply', '-f', '-'], [
      // Objects need their namespace first (NamespaceLifecycle, as kube-apiserver).
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: np-a}\n',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: np-b}\n',
      podYaml('np-a', 'web', { app: 'web' }, 'mkdir -p /www && echo hello-web > /www/index.html && exec httpd -f -p 8080 -h /www'),
      podYaml('np-a', 'friend', { role: 'client' }, 'exec sleep 3600'),
      podYaml('np-b', 'stranger', { role: 'client' }, 'exec sleep 3600'),
    ].join('---\n'));
    for (const [ns, name] of [['np-a', 'web'], ['np-a', 'friend'], ['np-b', 'stranger']] as const) {
      const ip = await server.until(`${ns}/${name} running with an IP`, async () => {
        const out = await cli.ok(['get', 'pod', name, '-n', ns, '-o', 'json']).catch(() => '{}');
        const pod = JSON.parse(out) as { status?: { phase?: string; podIP?: string } };
        return pod.status?.phase === 'Running' && pod.status.podIP ? pod.status.podIP : undefined;
      }, 60_000);
      if (name === 'web') webIp = ip;
    }
  });
  after(async () => {
    await server.stop();
    // The node removes its table when it stops: nothing of it is left in the kernel.
    const table = policyTableName(path.join(server.dataDir, 'agent'));
    assert.notEqual(spawnSync('nft', ['list', 'table', 'inet', table]).status, 0, `table ${table} is left behind`);
  });

  /** Whether a pod gets the page (wget gives up after 3 s when the policy drops the SYN). */
  let last = '';
  async function reaches(ns: string, pod: string): Promise<boolean> {
    const r = await cli.run(['exec', '-n', ns, pod, 'timeout', '3', 'wget', '-q', '-O', '-', `http://${webIp}:8080/`]);
    last = `${ns}/${pod}: exit ${r.code} ${r.stdout}${r.stderr}`;
    return r.code === 0 && r.stdout === 'hello-web\n';
  }
  const expectReach = (want: { friend: boolean; stranger: boolean }, what: string): Promise<true> =>
    eventually(() => `${what} (last: ${last})\n${server.logs.slice(-3000)}`, async () => {
      const got = { friend: await reaches('np-a', 'friend'), stranger: await reaches('np-b', 'stranger') };
      return got.friend === want.friend && got.stranger === want.stranger ? true : undefined;
    }, { timeoutMs: 30_000 });

  test('without a policy every pod reaches the web pod', async () => {
    await expectReach({ friend: true, stranger: true }, 'both clients reach web before any policy');
  });

  test('a policy allowing pods of its namespace with role=client on the named port lets the friend in and keeps the stranger out', async () => {
    await cli.ok(['apply', '-f', '-'], policyYaml('{ podSelector: { matchLabels: { role: client } } }'));
    assert.match(await cli.ok(['get', 'netpol', '-n', 'np-a']), /^web-ingress\s+app=web\s+\S+$/m);
    assert.match(await cli.ok(['describe', 'networkpolicy', 'web-ingress', '-n', 'np-a']), /Allowing ingress traffic:\n\s+To Port:\s+http\/TCP\n\s+From:\n\s+PodSelector:\s+role=client/);
    await expectReach({ friend: true, stranger: false }, 'friend allowed, stranger denied');
    const table = execFileSync('nft', ['list', 'table', 'inet', policyTableName(path.join(server.dataDir, 'agent'))], { encoding: 'utf8' });
    assert.match(table, new RegExp(`${webIp.replace(/\./g, '\\.')} : jump in-\\d+`));
  });

  test('a namespaceSelector (kubernetes.io/metadata.name) turns it round: the other namespace in, its own out', async () => {
    await cli.ok(['apply', '-f', '-'], policyYaml("{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': np-b } } }"));
    await expectReach({ friend: false, stranger: true }, 'stranger allowed, friend denied');
  });

  test('removing the policy opens the pod again', async () => {
    await cli.ok(['delete', 'networkpolicy', 'web-ingress', '-n', 'np-a']);
    await expectReach({ friend: true, stranger: true }, 'both reach web once the policy is gone');
  });

  test('bad input names the field: except outside the cidr, endPort with a named port', async () => {
    const r = await cli.run(['apply', '-f', '-'], `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: bad, namespace: np-a }
spec:
  podSelector: {}
  ingress:
  - from: [{ ipBlock: { cidr: 10.0.0.0/16, except: [10.1.0.0/24] } }]
    ports: [{ port: http, endPort: 90 }]
`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /spec\.ingress\[0\]\.from\[0\]\.ipBlock\.except\[0\]: must be a smaller range inside cidr 10\.0\.0\.0\/16/);
    assert.match(r.stderr, /spec\.ingress\[0\]\.ports\[0\]\.endPort: may only be set with a numeric port/);
  });
});
