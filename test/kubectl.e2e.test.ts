/**
 * The real kubectl (v1.32 on these machines) against a Lantern server with the kubeconfig the server
 * writes: version, discovery (api-resources), server-side tables, Status errors with Lantern's
 * messages, every PATCH kubectl sends (label, annotate, scale, set image/env, rollout restart, patch
 * --type json|merge|strategic, re-apply), watches as tables, logs, and a node's credential refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { Kubectl, type KubectlRun } from './harness/kubectl.js';

const server = new TestServer([], { https: true });
const cli = new Cli(server);
const k = new Kubectl(server, 'lantern-kubectl-');
const home = k.home;
const kubectl = (args: string[], kubeconfig?: string): Promise<KubectlRun> => k.run(args, kubeconfig === undefined ? {} : { kubeconfig });
const kubectlInput = (args: string[], input: string): Promise<KubectlRun> => k.run(args, { input });
const ok = (args: string[]): Promise<string> => k.ok(args);

const deployment = (replicas: number, image = 'busybox:latest'): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: kweb}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: kweb}}
  template:
    metadata: {labels: {app: kweb}}
    spec: {containers: [{name: web, image: "${image}", command: [sh, -c, "echo hello from kweb; sleep 3600"]}]}
`;

before(async () => {
  await server.start();
  await cli.importBusybox();
});
after(async () => {
  await server.lcctl(['delete', 'deployment', 'kweb']);
  await server.stop();
  k.cleanup();
});

test('kubectl version and api-resources read /version and discovery', async () => {
  const version = await ok(['version', '-o', 'json']);
  const info = JSON.parse(version) as { serverVersion?: { major: string; minor: string; gitVersion: string } };
  assert.equal(info.serverVersion?.major, '1');
  assert.match(info.serverVersion?.gitVersion ?? '', /^v1\.\d+\.\d+\+lantern-/);
  const resources = await ok(['api-resources', '--no-headers']);
  assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  assert.match(resources, /^pods\s+po\s+v1\s+true\s+Pod$/m);
  assert.match(resources, /^nodes\s+no\s+v1\s+false\s+Node$/m);
  const wide = await ok(['api-resources', '-o', 'wide', '--api-group', 'apps']);
  assert.match(wide, /deployments.*create,delete,get,list,patch,update,watch/);
});

test('create, get with the server\'s columns, and every patching verb kubectl has', async () => {
  const file = path.join(home, 'kweb.yaml');
  writeFileSync(file, deployment(1));
  // kubectl finds fieldValidation on the kind's PATCH in /openapi/v3 and leaves the field check to the server.
  assert.match(await ok(['apply', '-f', file]), /deployment.apps\/kweb created/);
  const table = await ok(['get', 'deployments']);
  assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
  assert.match(table, /^kweb\s+\d\/1\s/m);
  assert.match(await ok(['label', 'deployment', 'kweb', 'tier=front']), /labeled/);
  assert.match(await ok(['annotate', 'deployment', 'kweb', 'team=edge']), /annotated/);
  assert.match(await ok(['scale', 'deployment', 'kweb', '--replicas=2']), /scaled/);
  assert.match(await ok(['set', 'env', 'deployment/kweb', 'GREETING=hi']), /env updated/);
  assert.match(await ok(['rollout', 'restart', 'deployment/kweb']), /restarted/);
  const wide = await ok(['get', 'deployment', 'kweb', '-o', 'wide', '--show-labels']);
  assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\s+LABELS$/m);
  assert.match(wide, /kweb\s+.*\s+web\s+busybox:latest\s+app=kweb\s+tier=front/);
  const obj = JSON.parse(await ok(['get', 'deployment', 'kweb', '-o', 'json'])) as {
    metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    spec: { replicas: number; template: { metadata: { annotations?: Record<string, string> }; spec: { containers: { image: string; env?: { name: string; value: string }[] }[] } } };
  };
  assert.equal(obj.metadata.labels.tier, 'front');
  assert.equal(obj.metadata.annotations.team, 'edge');
  assert.equal(obj.spec.replicas, 2);
  assert.deepEqual(obj.spec.template.spec.containers[0]?.env, [{ name: 'GREETING', value: 'hi' }]);
  assert.ok(obj.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], 'rollout restart stamps the pod template');

  await ok(['patch', 'deployment', 'kweb', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]']);
  assert.equal(await ok(['get', 'deployment', 'kweb', '-o', 'jsonpath={.spec.replicas}']), '3');
  await ok(['patch', 'deployment', 'kweb', '--type=merge', '-p', '{"metadata":{"labels":{"tier":null}}}']);
  assert.equal(await ok(['get', 'deployment', 'kweb', '-o', 'jsonpath={.metadata.labels.tier}']), '');
  await ok(['patch', 'deployment', 'kweb', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"SECOND","value":"2"}]}]}}}}']);
  const env = await ok(['get', 'deployment', 'kweb', '-o', 'jsonpath={.spec.template.spec.containers[0].env[*].name}']);
  assert.equal(env, 'GREETING SECOND', 'a strategic merge patch merges env by name');

  // Re-apply with a changed replica count: a three-way strategic merge patch from last-applied.
  writeFileSync(file, deployment(1));
  assert.match(await ok(['apply', '-f', file]), /deployment.apps\/kweb configured/);
  assert.equal(await ok(['get', 'deployment', 'kweb', '-o', 'jsonpath={.spec.replicas}']), '1');
});

test('explain reads the OpenAPI v3 made from the schemas; an unknown field is refused by the server', async () => {
  const explain = await ok(['explain', 'deployment.spec.replicas']);
  assert.match(explain, /KIND:\s+Deployment/);
  assert.match(explain, /FIELD: replicas <integer>/);
  const fields = await ok(['explain', 'pods.spec']);
  assert.match(fields, /containers\s+<\[\]Object> -required-/);
  const file = path.join(home, 'typo.yaml');
  writeFileSync(file, deployment(1).replace('  replicas: 1', '  replicas: 1\n  replicaz: 2'));
  const typo = await kubectl(['apply', '-f', file]);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /The Deployment "kweb" is invalid: spec\.replicaz: unknown field/);
});

test('errors are Status objects: kubectl shows Lantern\'s message and reason', async () => {
  const missing = await kubectl(['get', 'deployment', 'no-such']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Error from server \(NotFound\): deployment "no-such" not found/);
  const bad = await kubectl(['patch', 'deployment', 'kweb', '--type=merge', '-p', '{"spec":{"replicas":-2}}']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /is invalid: .*spec\.replicas/);
  const badPatch = await kubectl(['patch', 'deployment', 'kweb', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":99}]']);
  assert.match(badPatch.stderr, /test failed/);
  const unknown = await kubectl(['get', 'widgets']);
  assert.match(unknown.stderr, /the server doesn't have a resource type "widgets"/);
});

test('pods: the server-side table, logs, and a watch that prints rows', async () => {
  const pods = await server.until('a kweb pod running', async () => {
    const out = await kubectl(['get', 'pods', '-l', 'app=kweb', '--no-headers']);
    return /\bRunning\b/.test(out.stdout) ? out.stdout : undefined;
  }, 60_000);
  const name = /^(kweb-\S+)\s+1\/1\s+Running\s+0\s+\S+$/m.exec(pods)?.[1];
  assert.ok(name, pods);
  const logs = await server.until('the pod\'s log', async () => {
    const r = await kubectl(['logs', name]);
    return /hello from kweb/.test(r.stdout) ? r.stdout : undefined;
  }, 30_000);
  assert.match(logs, /hello from kweb/);
  // exec over Kubernetes' WebSocket protocol: streams apart, the exit code back, stdin to its end.
  const exec = await kubectl(['exec', name, '--', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 3']);
  assert.equal(exec.code, 3, exec.stderr);
  assert.equal(exec.stdout, 'to-out\n');
  assert.match(exec.stderr, /to-err/);
  const piped = await kubectlInput(['exec', '-i', name, '--', 'sh', '-c', 'cat; echo done'], 'line one\nline two\n');
  assert.equal(piped.stdout, 'line one\nline two\ndone\n', piped.stderr);
  const watch = await kubectl(['get', 'pods', '-l', 'app=kweb', '-w', '--request-timeout=2s']);
  assert.match(watch.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m, watch.stdout + watch.stderr);
  assert.match(watch.stdout, new RegExp(`^${name}\\s+1/1\\s+Running`, 'm'));
});

test('a node\'s credential gets no more through kubectl than through lcctl', async () => {
  const nodeToken = (await server.api<{ token?: string }>('POST', '/apis/lantern.dev/v1/jointokens', {})).body.token;
  assert.ok(nodeToken);
  const cfg = path.join(home, 'join.yaml');
  const admin = await ok(['config', 'view', '--raw', '-o', 'json']);
  const parsed = JSON.parse(admin) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[] };
  const c = parsed.clusters[0]!.cluster;
  writeFileSync(cfg, `apiVersion: v1\nkind: Config\nclusters: [{name: l, cluster: {server: "${c.server}", certificate-authority-data: ${c['certificate-authority-data']}}}]\nusers: [{name: j, user: {token: "${nodeToken}"}}]\ncontexts: [{name: l, context: {cluster: l, user: j}}]\ncurrent-context: l\n`);
  const denied = await kubectl(['get', 'secrets'], cfg);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /Forbidden/);
});
