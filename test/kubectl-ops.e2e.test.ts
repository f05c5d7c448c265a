/**
 * The real kubectl (v1.32) for the day-to-day verbs beyond create: namespaces (create, objects in
 * them, delete through Terminating), cordon/taint/drain (pods/eviction), top (metrics.k8s.io), events,
 * wait, rollout status|history|undo, and fieldValidation (--validate=false|warn); and the new
 * endpoints refused to a join identity.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { Kubectl, type KubectlRun } from './harness/kubectl.js';

const server = new TestServer([], { https: true });
const cli = new Cli(server);
const k = new Kubectl(server, 'lantern-k1ops-');
const home = k.home;
const kubectl = (args: string[]): Promise<KubectlRun> => k.run(args);
const ok = (args: string[]): Promise<string> => k.ok(args);

const deployment = (name: string, image: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
${extra}  template:
    metadata: {labels: {app: ${name}}}
    spec: {terminationGracePeriodSeconds: 1, containers: [{name: main, image: "${image}", command: [sleep, "3600"]}]}
`;

let nodeName = '';

before(async () => {
  await server.start();
  await cli.importBusybox();
  nodeName = (await ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
});
after(async () => {
  await server.lcctl(['delete', 'deployment', 'kops-roll']);
  await server.lcctl(['delete', 'pod', 'kops-lone']);
  await server.stop();
  rmSync(home, { recursive: true, force: true });
});

test('namespaces: the system ones exist, objects need one, deleting one empties it through Terminating', async () => {
  const list = await ok(['get', 'namespaces']);
  assert.match(list, /^NAME\s+STATUS\s+AGE$/m);
  assert.match(list, /^default\s+Active\s/m);
  assert.match(list, /^lantern-system\s+Active\s/m);
  const missing = await kubectl(['create', 'configmap', 'c1', '-n', 'kops-team', '--from-literal=a=1']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /namespaces "kops-team" not found/);
  assert.match(await ok(['create', 'namespace', 'kops-team']), /namespace\/kops-team created/);
  assert.match(await ok(['create', 'configmap', 'c1', '-n', 'kops-team', '--from-literal=a=1']), /configmap\/c1 created/);
  assert.match(await ok(['get', 'ns', 'kops-team', '-o', 'jsonpath={.spec.finalizers}']), /kubernetes/);
  assert.match(await ok(['explain', 'namespace.spec']), /finalizers\s+<\[\]string>/);
  const bad = await kubectl(['create', 'namespace', 'Not_A_Label']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /The Namespace "Not_A_Label" is invalid:[\s\S]*metadata\.name: invalid name/);
  // --wait: kubectl returns once the namespace is gone, which needs its configmap gone first.
  assert.match(await ok(['delete', 'namespace', 'kops-team', '--timeout=60s']), /namespace "kops-team" deleted/);
  const gone = await kubectl(['get', 'namespace', 'kops-team']);
  assert.match(gone.stderr, /NotFound/);
  // Made again, it is empty: the configmap went with the old one.
  await ok(['create', 'namespace', 'kops-team']);
  assert.match((await kubectl(['get', 'configmaps', '-n', 'kops-team'])).stderr, /No resources found in kops-team namespace/);
  const system = await kubectl(['delete', 'namespace', 'default']);
  assert.equal(system.code, 1);
  assert.match(system.stderr, /Forbidden.*may not be deleted/);
});

test('fieldValidation: --validate=false drops an unknown field, --validate=warn says so, strict refuses', async () => {
  const file = path.join(home, 'typo.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kops-typo}\ndata: {a: "1"}\ndatta: {b: "2"}\n');
  const strict = await kubectl(['apply', '-f', file]);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /datta: unknown field/);
  const warn = await kubectl(['create', '-f', file, '--validate=warn']);
  assert.equal(warn.code, 0, warn.stderr);
  assert.match(warn.stderr, /Warning: unknown field "datta"/);
  await ok(['delete', 'configmap', 'kops-typo']);
  assert.match(await ok(['apply', '-f', file, '--validate=false']), /configmap\/kops-typo created/);
  assert.equal(await ok(['get', 'configmap', 'kops-typo', '-o', 'jsonpath={.data.a}']), '1');
});

test('rollout status, wait for Available, history and undo on a Deployment', async () => {
  const file = path.join(home, 'roll.yaml');
  writeFileSync(file, deployment('kops-roll', 'busybox:latest'));
  await ok(['apply', '-f', file]);
  assert.match(await ok(['rollout', 'status', 'deployment/kops-roll', '--timeout=90s']), /successfully rolled out/);
  assert.match(await ok(['wait', '--for=condition=Available', 'deployment/kops-roll', '--timeout=60s']), /condition met/);
  await ok(['set', 'image', 'deployment/kops-roll', 'main=busybox:1.36']);
  const history = await ok(['rollout', 'history', 'deployment/kops-roll']);
  assert.match(history, /^REVISION\s+CHANGE-CAUSE$/m);
  assert.match(history, /^1\s/m);
  assert.match(history, /^2\s/m);
  assert.match(await ok(['rollout', 'undo', 'deployment/kops-roll']), /rolled back/);
  assert.equal(await ok(['get', 'deployment', 'kops-roll', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'busybox:latest');
});

test('cordon, taint, drain (evictions), uncordon; events list what happened', async () => {
  assert.match(await ok(['run', 'kops-lone', '--image=busybox:latest', '--', 'sleep', '3600']), /created/);
  await server.until('kops-lone running', async () => /Running/.test((await kubectl(['get', 'pod', 'kops-lone', '--no-headers'])).stdout), 60_000);
  assert.match(await ok(['cordon', nodeName]), /cordoned/);
  assert.equal(await ok(['get', 'node', nodeName, '-o', 'jsonpath={.spec.unschedulable}']), 'true');
  assert.match(await ok(['taint', 'nodes', nodeName, 'kops=yes:PreferNoSchedule']), /tainted/);
  assert.match(await ok(['get', 'node', nodeName, '-o', 'jsonpath={.spec.taints[*].key}']), /kops/);
  await ok(['taint', 'nodes', nodeName, 'kops=yes:PreferNoSchedule-']);
  // A pod with no controller needs --force, as in Kubernetes; the eviction deletes it with its grace period.
  const drain = await ok(['drain', nodeName, '--force', '--ignore-daemonsets', '--grace-period=1', '--timeout=90s']);
  assert.match(drain, /evicting pod default\/kops-lone/);
  assert.match(drain, /drained/);
  assert.match((await kubectl(['get', 'pod', 'kops-lone'])).stderr, /NotFound/);
  assert.match(await ok(['uncordon', nodeName]), /uncordoned/);
  const events = await ok(['events', '--for', 'pod/kops-lone']);
  assert.match(events, /LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
  assert.match(events, /Pod\/kops-lone/);
});

test('kubectl top nodes and pods read metrics.k8s.io', async () => {
  await ok(['run', 'kops-top', '--image=busybox:latest', '--', 'sleep', '3600']);
  await server.until('kops-top running', async () => /Running/.test((await kubectl(['get', 'pod', 'kops-top', '--no-headers'])).stdout), 60_000);
  // Rates need two scrapes some seconds apart: ask until the node has numbers.
  const nodes = await server.until('node metrics', async () => {
    const r = await kubectl(['top', 'nodes', '--no-headers']);
    return r.code === 0 && new RegExp(`^${nodeName}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`, 'm').test(r.stdout) ? r.stdout : undefined;
  }, 60_000);
  assert.match(nodes, new RegExp(nodeName));
  const pods = await server.until('pod metrics', async () => {
    const r = await kubectl(['top', 'pods']);
    return r.code === 0 && /^kops-top\s+\d+m\s+\d+Mi/m.test(r.stdout) ? r.stdout : undefined;
  }, 60_000);
  assert.match(pods, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/m);
  await ok(['delete', 'pod', 'kops-top', '--grace-period=1']);
});

test('a join identity may not read namespaces, evict pods or read metrics.k8s.io', async () => {
  const join = server.joinToken;
  const ns = await server.api('GET', '/api/v1/namespaces', undefined, join);
  assert.equal(ns.status, 403);
  const create = await server.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kops-evil' } }, join);
  assert.equal(create.status, 403);
  const evict = await server.api('POST', '/api/v1/namespaces/default/pods/anything/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'anything' } }, join);
  assert.equal(evict.status, 403);
  const top = await server.api('GET', '/apis/metrics.k8s.io/v1beta1/nodes', undefined, join);
  assert.equal(top.status, 403);
});
