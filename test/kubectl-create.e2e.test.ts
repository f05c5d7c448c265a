/**
 * kubectl's typed writers against Lantern: `create deployment|configmap|secret generic|docker-registry|
 * job|cronjob|service clusterip|nodeport|priorityclass`, `run` and `expose` send protobuf bodies (client-go's typed clients), which the
 * server decodes with Kubernetes' own .proto files and answers as JSON.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import https from 'node:https';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { Kubectl, type KubectlRun } from './harness/kubectl.js';

const server = new TestServer([], { https: true });
const cli = new Cli(server);
const k = new Kubectl(server, 'lantern-k1create-');
const home = k.home;
const kubectl = (args: string[]): Promise<KubectlRun> => k.run(args);
const ok = (args: string[]): Promise<string> => k.ok(args);
const json = <T>(args: string[]): Promise<T> => k.json<T>(args);

before(async () => {
  await server.start();
  await cli.importBusybox();
});
after(async () => {
  await server.lcctl(['delete', 'deployment', 'kc-web']);
  await server.lcctl(['delete', 'pod', 'kc-run']);
  await server.stop();
  rmSync(home, { recursive: true, force: true });
});

test('create configmap and secret generic: keys, values and base64 data survive protobuf', async () => {
  assert.match(await ok(['create', 'configmap', 'kc-cm', '--from-literal=greeting=hello', '--from-literal=empty=']), /configmap\/kc-cm created/);
  const cm = await json<{ data: Record<string, string>; metadata: { creationTimestamp?: string } }>(['get', 'configmap', 'kc-cm']);
  assert.deepEqual(cm.data, { greeting: 'hello', empty: '' });
  assert.ok(cm.metadata.creationTimestamp, 'the server stamps its own creation time');
  assert.match(await ok(['create', 'secret', 'generic', 'kc-secret', '--from-literal=password=s3cr3t']), /secret\/kc-secret created/);
  const secret = await json<{ data: Record<string, string>; type: string }>(['get', 'secret', 'kc-secret']);
  assert.equal(Buffer.from(secret.data.password ?? '', 'base64').toString(), 's3cr3t');
  assert.equal(secret.type, 'Opaque');
});

test('create deployment, then expose it as a service with the deployment\'s selector', async () => {
  assert.match(await ok(['create', 'deployment', 'kc-web', '--image=busybox:latest', '--replicas=2', '--port=8080', '--', 'sleep', '3600']), /deployment.apps\/kc-web created/);
  const d = await json<{ spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { spec: { containers: { image: string; command: string[]; ports: { containerPort: number }[] }[] } } } }>(['get', 'deployment', 'kc-web']);
  assert.equal(d.spec.replicas, 2);
  assert.deepEqual(d.spec.selector.matchLabels, { app: 'kc-web' });
  assert.deepEqual(d.spec.template.spec.containers[0]?.command, ['sleep', '3600']);
  assert.equal(d.spec.template.spec.containers[0]?.ports[0]?.containerPort, 8080);
  assert.match(await ok(['expose', 'deployment', 'kc-web', '--port=80', '--target-port=8080']), /service\/kc-web exposed/);
  const svc = await json<{ spec: { selector: Record<string, string>; ports: { port: number; targetPort: number }[] } }>(['get', 'service', 'kc-web']);
  assert.deepEqual(svc.spec.selector, { app: 'kc-web' });
  assert.equal(svc.spec.ports[0]?.port, 80);
  assert.equal(svc.spec.ports[0]?.targetPort, 8080);
});

test('create service clusterip with a named target port (IntOrString as a string)', async () => {
  assert.match(await ok(['create', 'service', 'clusterip', 'kc-svc', '--tcp=443:https']), /service\/kc-svc created/);
  const svc = await json<{ spec: { type: string; ports: { port: number; targetPort: unknown; name: string }[] } }>(['get', 'service', 'kc-svc']);
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.equal(svc.spec.ports[0]?.port, 443);
  assert.equal(svc.spec.ports[0]?.targetPort, 'https');
});

test('create job and cronjob', async () => {
  assert.match(await ok(['create', 'job', 'kc-job', '--image=busybox:latest', '--', 'true']), /job.batch\/kc-job created/);
  const job = await json<{ spec: { template: { spec: { restartPolicy: string; containers: { command: string[] }[] } } } }>(['get', 'job', 'kc-job']);
  assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  assert.deepEqual(job.spec.template.spec.containers[0]?.command, ['true']);
  assert.match(await ok(['create', 'cronjob', 'kc-cron', '--image=busybox:latest', '--schedule=*/5 * * * *', '--', 'date']), /cronjob.batch\/kc-cron created/);
  const cron = await json<{ spec: { schedule: string } }>(['get', 'cronjob', 'kc-cron']);
  assert.equal(cron.spec.schedule, '*/5 * * * *');
  await ok(['delete', 'cronjob', 'kc-cron']);
  await ok(['delete', 'job', 'kc-job']);
});

test('more typed creates: secret docker-registry, service nodeport, priorityclass', async () => {
  assert.match(await ok(['create', 'secret', 'docker-registry', 'kc-reg', '--docker-server=reg.example', '--docker-username=u', '--docker-password=p']), /secret\/kc-reg created/);
  const reg = await json<{ type: string; data: Record<string, string> }>(['get', 'secret', 'kc-reg']);
  assert.equal(reg.type, 'kubernetes.io/dockerconfigjson');
  assert.match(Buffer.from(reg.data['.dockerconfigjson'] ?? '', 'base64').toString(), /reg\.example/);
  assert.match(await ok(['create', 'service', 'nodeport', 'kc-np', '--tcp=8080:80']), /service\/kc-np created/);
  assert.match(await ok(['get', 'service', 'kc-np', '-o', 'jsonpath={.spec.type} {.spec.ports[0].nodePort}']), /^NodePort \d+$/);
  assert.match(await ok(['create', 'priorityclass', 'kc-high', '--value=1000', '--description=important']), /priorityclass.scheduling.k8s.io\/kc-high created/);
  assert.equal(await ok(['get', 'priorityclass', 'kc-high', '-o', 'jsonpath={.value}']), '1000');
});

test('kubectl run starts a pod that runs its command', async () => {
  assert.match(await ok(['run', 'kc-run', '--image=busybox:latest', '--labels=who=k1', '--', 'sh', '-c', 'echo ran by kubectl; sleep 3600']), /pod\/kc-run created/);
  await server.until('kc-run running', async () => /Running/.test((await kubectl(['get', 'pod', 'kc-run', '--no-headers'])).stdout), 60_000);
  const logs = await server.until('its log', async () => {
    const r = await kubectl(['logs', 'kc-run']);
    return /ran by kubectl/.test(r.stdout) ? r.stdout : undefined;
  }, 30_000);
  assert.match(logs, /ran by kubectl/);
  assert.equal(await ok(['get', 'pod', 'kc-run', '-o', 'jsonpath={.metadata.labels.who}']), 'k1');
});

/** A length-delimited protobuf field (wire type 2) with a one-byte length. */
const field = (num: number, bytes: Buffer): Buffer => Buffer.concat([Buffer.from([(num << 3) | 2, bytes.length]), bytes]);

test('a protobuf body for a kind without a proto is refused with 415 and a message', async () => {
  // runtime.Unknown{typeMeta: {apiVersion: lantern.dev/v1, kind: Workflow}} after the "k8s\0" magic.
  const typeMeta = Buffer.concat([field(1, Buffer.from('lantern.dev/v1')), field(2, Buffer.from('Workflow'))]);
  const body = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), field(1, typeMeta)]);
  const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = https.request(`${server.url}/apis/lantern.dev/v1/namespaces/default/workflows`, {
      method: 'POST', ca: server.ca,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/vnd.kubernetes.protobuf' },
    }, (r) => {
      let text = '';
      r.on('data', (d: Buffer) => { text += d.toString(); });
      r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
  assert.equal(res.status, 415, res.text);
  assert.match(res.text, /protobuf bodies are accepted only for Kubernetes' built-in kinds/);
});
