import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { getPod, waitContainer } from './harness/pods.js';
import { Cli, explain } from './harness/cli.js';

const configMap = (greeting: string, extra: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  greeting: ${greeting}
${extra}`;

const secret = `apiVersion: v1
kind: Secret
metadata:
  name: app-secret
stringData:
  password: s3cret
`;

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  restartPolicy: Never
  volumes:
    - name: cfg
      configMap:
        name: app-config
    - name: sec
      secret:
        secretName: app-secret
        defaultMode: 0400
  containers:
    - name: main
      image: busybox:latest
      command: ["sh", "-c", 'echo "VAR=$VAR"; echo "PW=$S_password"; exec sleep 3600']
      env:
        - name: VAR
          valueFrom:
            configMapKeyRef: {name: app-config, key: greeting}
      envFrom:
        - secretRef: {name: app-secret}
          prefix: S_
      volumeMounts:
        - {name: cfg, mountPath: /etc/cfg}
        - {name: sec, mountPath: /etc/sec}
`;

describe('lcctl apply / diff / delete -f with ConfigMaps, Secrets and a pod that uses them', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-config-apply-'));
  const file = path.join(dir, 'app.yaml');
  const write = (text: string): void => writeFileSync(file, text);
  const v1 = [configMap('hello', '  mode: fast\n'), secret, pod].join('---\n');
  const v2 = [configMap('hello', '  level: "3"\n'), secret, pod].join('---\n');

  before(async () => {
    await server.start();
    await cli.importBusybox();
  });
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  test('apply creates every object; the container sees the files and the variables', async () => {
    write(v1);
    assert.equal(await cli.ok(['apply', '-f', file]), 'configmap/app-config created\nsecret/app-secret created\npod/web created\n');
    await waitContainer(server, 'web', 'running', (cs) => cs.state.running !== undefined, 60_000);
    assert.equal(await cli.ok(['exec', 'web', 'cat', '/etc/cfg/greeting']), 'hello');
    assert.equal(await cli.ok(['exec', 'web', 'cat', '/etc/sec/password']), 's3cret');
    assert.equal((await cli.ok(['exec', 'web', 'stat', '-c', '%a', '/etc/sec/password'])).trim(), '400');
    const logs = await server.until('the env lines in the log', async () => { const o = await cli.ok(['logs', 'web']); return o.includes('PW=') ? o : undefined; });
    assert.equal(logs, 'VAR=hello\nPW=s3cret\n');
    // Kubernetes mounts these volumes read-only.
    await cli.expect(1, ['exec', 'web', 'touch', '/etc/cfg/new']);
    // The Secret's files live on a tmpfs, never on the node's disk.
    assert.match(await cli.ok(['exec', 'web', 'cat', '/proc/mounts']), /^tmpfs \/etc\/sec tmpfs ro,/m);
  });

  test('get lists them with kubectl columns; a Secret keeps stringData as base64 data', async () => {
    assert.match(await cli.ok(['get', 'cm']), /^NAME\s+DATA\s+AGE\napp-config\s+2\s+\S+\n$/);
    assert.match(await cli.ok(['get', 'secrets']), /^NAME\s+TYPE\s+DATA\s+AGE\napp-secret\s+Opaque\s+1\s+\S+\n$/);
    const s = JSON.parse(await cli.ok(['get', 'secret', 'app-secret', '-o', 'json'])) as { data: Record<string, string>; stringData?: unknown };
    assert.deepEqual(s.data, { password: Buffer.from('s3cret').toString('base64') });
    assert.equal(s.stringData, undefined);
  });

  test('apply again is unchanged; diff exits 0', async () => {
    assert.equal(await cli.ok(['apply', '-f', file]), 'configmap/app-config unchanged\nsecret/app-secret unchanged\npod/web unchanged\n');
    const d = await cli.run(['diff', '-f', file]);
    assert.equal(d.code, 0, explain(server, d));
    assert.equal(d.stdout, '');
  });

  test('a changed file: diff exits 1 showing the change, apply configures it and removes the dropped key', async () => {
    write(v2);
    const d = await cli.run(['diff', '-f', file]);
    assert.equal(d.code, 1, explain(server, d));
    assert.match(d.stdout, /^-\s+mode: fast$/m);
    assert.match(d.stdout, /^\+\s+level: "3"$/m);
    assert.equal(await cli.ok(['apply', '-f', file]), 'configmap/app-config configured\nsecret/app-secret unchanged\npod/web unchanged\n');
    const cm = JSON.parse(await cli.ok(['get', 'cm', 'app-config', '-o', 'json'])) as { data: Record<string, string> };
    assert.deepEqual(cm.data, { greeting: 'hello', level: '3' });
    // The pod kept what the server set: its node and status.
    const p = await getPod(server, 'web');
    assert.equal(p?.spec.nodeName, 'node-1');
    assert.equal(p?.status?.phase, 'Running');
  });

  test('diff of an unreadable object exits >1', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "Bad_Name"}\n');
    const d = await cli.run(['diff', '-f', bad]);
    assert.ok(d.code > 1, explain(server, d));
    assert.match(d.stderr, /metadata\.name/);
  });

  test('--dry-run=server stores nothing, and still reports validation errors with field paths', async () => {
    const dry = path.join(dir, 'dry.yaml');
    writeFileSync(dry, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\ndata: {a: b}\n');
    assert.equal(await cli.ok(['apply', '-f', dry, '--dry-run=server']), 'configmap/dry created (server dry run)\n');
    const g = await cli.expect(1, ['get', 'cm', 'dry']);
    assert.match(g.stderr, /NotFound/);
    writeFileSync(dry, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\ndata: {"bad key": b}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: dry}\ndata: {k: "not base64!"}\n');
    const r = await cli.expect(1, ['apply', '-f', dry, '--dry-run=server']);
    assert.match(r.stderr, /data\[bad key\]: a valid config key must consist of alphanumeric characters/);
    assert.match(r.stderr, /data\[k\]: illegal base64 data/);
  });

  test('delete -f removes every object in the file; --ignore-not-found then succeeds', async () => {
    const out = await cli.ok(['delete', '-f', file]);
    for (const line of ['configmap "app-config" deleted', 'secret "app-secret" deleted', 'pod "web" deleted']) assert.ok(out.includes(line), out);
    for (const [k, n] of [['cm', 'app-config'], ['secret', 'app-secret'], ['pod', 'web']] as const) await cli.expect(1, ['get', k, n]);
    // The pod's Secret tmpfs went with it.
    await server.until('the Secret tmpfs unmounted', async () => !readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.includes(`${server.dataDir}/`) && l.includes('/secrets/')));
    await cli.expect(1, ['delete', '-f', file]);
    await cli.ok(['delete', '-f', file, '--ignore-not-found']);
  });

  test('a pod naming a missing ConfigMap waits in CreateContainerConfigError and starts once it is created', async () => {
    const late = path.join(dir, 'late.yaml');
    writeFileSync(late, `apiVersion: v1
kind: Pod
metadata: {name: late}
spec:
  restartPolicy: Never
  containers:
    - name: main
      image: busybox:latest
      command: ["sh", "-c", 'echo "MODE=$MODE"; exec sleep 3600']
      env:
        - name: MODE
          valueFrom:
            configMapKeyRef: {name: late-config, key: mode}
`);
    await cli.ok(['apply', '-f', late]);
    const waiting = await waitContainer(server, 'late', 'CreateContainerConfigError', (cs) => cs.state.waiting?.reason === 'CreateContainerConfigError', 60_000);
    assert.equal(waiting.status?.containerStatuses?.[0]?.state.waiting?.message, 'configmap "late-config" not found');
    assert.equal(await cli.ok(['create', 'configmap', 'late-config', '--from-literal=mode=slow']), 'configmap/late-config created\n');
    await waitContainer(server, 'late', 'running after the ConfigMap appeared', (cs) => cs.state.running !== undefined, 60_000);
    const logs = await server.until('the env line', async () => { const o = await cli.ok(['logs', 'late']); return o.includes('MODE=') ? o : undefined; });
    assert.equal(logs, 'MODE=slow\n');
    await cli.ok(['delete', 'pod', 'late', '--grace-period', '0']);
  });

  test('create secret generic from a literal and a file', async () => {
    const f = path.join(dir, 'key.pem');
    writeFileSync(f, 'PEM');
    assert.equal(await cli.ok(['create', 'secret', 'generic', 'tls-ish', '--from-literal=user=admin', `--from-file=${f}`]), 'secret/tls-ish created\n');
    const s = JSON.parse(await cli.ok(['get', 'secret', 'tls-ish', '-o', 'json'])) as { type: string; data: Record<string, string> };
    assert.equal(s.type, 'Opaque');
    assert.deepEqual(s.data, { user: Buffer.from('admin').toString('base64'), 'key.pem': Buffer.from('PEM').toString('base64') });
  });

  test('a node credential reads a Secret only while a pod bound to that node references it', async () => {
    const joinToken = server.joinToken;
    const joined = await server.api<{ token: string }>('POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'edge-9' }, joinToken);
    assert.equal(joined.status, 201, JSON.stringify(joined.body));
    const cred = joined.body.token;
    await cli.ok(['create', 'secret', 'generic', 'edge-db', '--from-literal=pw=x']);
    await cli.ok(['create', 'secret', 'generic', 'edge-other', '--from-literal=pw=y']);
    const read = (name: string): Promise<{ status: number; body: unknown }> => server.api('GET', `/api/v1/namespaces/default/secrets/${name}`, undefined, cred);
    assert.equal((await read('edge-db')).status, 403, 'no pod of edge-9 references it yet');
    const created = await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'on-edge' },
      spec: { nodeName: 'edge-9', containers: [{ name: 'c', image: 'busybox', env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'edge-db', key: 'pw' } } }] }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await read('edge-db')).status, 200);
    const other = await read('edge-other');
    assert.equal(other.status, 403);
    assert.match(JSON.stringify(other.body), /system:node:edge-9 may not get secrets/);
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/secrets', undefined, cred)).status, 403);
    await server.api('DELETE', '/api/v1/namespaces/default/pods/on-edge?gracePeriodSeconds=0');
  });
});
