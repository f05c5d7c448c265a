import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { getPod, waitContainer } from './harness/pods.js';
import { Cli, freeHostPort } from './harness/cli.js';

/** The shell script of the manifest's container: it records what it sees into the hostPath volume. */
const script = [
  // restartPolicy OnFailure: the first run fails on purpose, the second one does the work.
  'if [ ! -e /host/first-run ]; then echo once > /host/first-run; exit 1; fi',
  'echo "$GREETING" > /host/env',
  'id -u > /host/uid',
  'touch /rootfs-probe 2> /host/rootfs-err; echo $? > /host/rootfs-rc',
  'grep CapEff /proc/self/status > /host/caps',
  'cat /sys/fs/cgroup/memory/memory.limit_in_bytes > /host/memory',
  'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us > /host/cpu-quota',
  '(echo scratch-ok > /scratch/probe && cat /scratch/probe) > /host/emptydir 2>&1',
  'echo done > /host/done',
  'exec httpd -f -p 8080 -h /var/www',
].join('\n');

function manifest(hostDir: string, hostPort: number): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: decl
  labels:
    app: decl
spec:
  restartPolicy: OnFailure
  volumes:
    - name: host
      hostPath:
        path: ${hostDir}
    - name: scratch
      emptyDir: {}
  containers:
    - name: main
      image: busybox:latest
      command: ["sh", "-c"]
      args:
        - ${JSON.stringify(script)}
      env:
        - name: GREETING
          value: hello from the manifest
      ports:
        - containerPort: 8080
          hostPort: ${hostPort}
          hostIP: 127.0.0.1
      resources:
        limits:
          memory: 64Mi
          cpu: 500m
      volumeMounts:
        - name: host
          mountPath: /host
        - name: scratch
          mountPath: /scratch
      securityContext:
        runAsUser: 1000
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
`;
}

const twoPods = `apiVersion: v1
kind: Pod
metadata:
  name: multi-a
spec:
  containers:
    - name: c
      image: busybox
      command: ["sleep", "300"]
---
apiVersion: v1
kind: Pod
metadata:
  name: multi-b
spec:
  containers:
    - name: c
      image: busybox
      command: ["sleep", "300"]
`;

describe('lcctl apply -f: a Pod manifest runs as written', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-cli-apply-'));
  const hostDir = path.join(dir, 'host');
  const file = path.join(dir, 'pod.yaml');
  let port = 0;
  const hostFile = (name: string): string => readFileSync(path.join(hostDir, name), 'utf8');

  before(async () => {
    await server.start();
    await cli.importBusybox();
    port = await freeHostPort();
    rmSync(hostDir, { recursive: true, force: true });
    mkdirSync(hostDir);
    chmodSync(hostDir, 0o777); // the container runs as uid 1000
    writeFileSync(file, manifest(hostDir, port));
    assert.equal(await cli.ok(['apply', '-f', file]), 'pod/decl created\n');
    // The second run (after the planned failure) records what it sees, then serves HTTP.
    await server.until('the container wrote its report', async () => existsSync(path.join(hostDir, 'done')), 60_000);
  });
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  test('restartPolicy OnFailure restarted the container after its failing first run', async () => {
    const pod = await waitContainer(server, 'decl', 'running', (cs) => cs.state.running !== undefined);
    const cs = pod.status?.containerStatuses?.[0];
    assert.equal(cs?.restartCount, 1);
    assert.equal(cs?.lastState?.terminated?.exitCode, 1);
  });

  test('command and args ran, with env', () => {
    assert.equal(hostFile('env'), 'hello from the manifest\n');
  });

  test('securityContext.runAsUser', () => {
    assert.equal(hostFile('uid'), '1000\n');
  });

  test('securityContext.readOnlyRootFilesystem', () => {
    assert.notEqual(hostFile('rootfs-rc').trim(), '0');
    assert.match(hostFile('rootfs-err'), /Read-only file system/);
  });

  test('securityContext.capabilities.drop ALL', () => {
    assert.match(hostFile('caps'), /^CapEff:\s+0{16}$/m);
  });

  test('resources.limits memory and cpu are the cgroup limits', async () => {
    assert.equal(hostFile('memory'), `${64 * 1024 * 1024}\n`);
    assert.equal(hostFile('cpu-quota'), '50000\n');
  });

  test('ports: hostPort on 127.0.0.1 forwards to containerPort 8080', async () => {
    const body = await server.until(`GET 127.0.0.1:${port}`, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      return res.status === 200 ? res.text() : undefined;
    });
    assert.match(body, /busybox/i);
  });

  test('volumeMounts: the hostPath directory holds what the container wrote', () => {
    assert.equal(hostFile('done'), 'done\n');
    assert.equal(hostFile('first-run'), 'once\n');
  });

  test('volumeMounts: an emptyDir is writable by the (non-root) container user, as in Kubernetes', () => {
    assert.equal(hostFile('emptydir'), 'scratch-ok\n');
  });

  test('re-applying the same file reports unchanged and changes nothing', async () => {
    const before = (await getPod(server, 'decl'))?.status?.containerStatuses?.[0];
    assert.equal(await cli.ok(['apply', '-f', file]), 'pod/decl unchanged\n');
    const after = (await getPod(server, 'decl'))?.status?.containerStatuses?.[0];
    assert.equal(after?.containerID, before?.containerID, 'the same container keeps running');
    assert.equal(after?.restartCount, 1);
    assert.ok(after?.state.running);
  });

  test('apply -f - reads the manifest from stdin', async () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-stdin\nspec:\n  restartPolicy: Never\n  containers:\n    - name: c\n      image: busybox\n      command: ["sh", "-c", "echo via-stdin"]\n';
    assert.equal(await cli.ok(['apply', '-f', '-'], yaml), 'pod/from-stdin created\n');
    await waitContainer(server, 'from-stdin', 'done', (cs) => cs.state.terminated !== undefined);
    assert.equal(await cli.ok(['logs', 'from-stdin']), 'via-stdin\n');
    assert.equal(await cli.ok(['apply', '-f', '-'], yaml), 'pod/from-stdin unchanged\n');
  });

  test('a multi-document file creates every pod in it', async () => {
    const multi = path.join(dir, 'multi.yaml');
    writeFileSync(multi, twoPods);
    assert.equal(await cli.ok(['apply', '-f', multi]), 'pod/multi-a created\npod/multi-b created\n');
    await waitContainer(server, 'multi-a', 'running', (cs) => cs.state.running !== undefined);
    await waitContainer(server, 'multi-b', 'running', (cs) => cs.state.running !== undefined);
  });

  test('an invalid manifest exits 1, names the field path, and creates nothing', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: invalid\nspec:\n  containers:\n    - name: c\n      command: ["true"]\n');
    const r = await cli.expect(1, ['apply', '-f', bad]);
    assert.match(r.stderr, /spec\.containers\[0\]\.image/);
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/invalid')).status, 404);

    const typo = path.join(dir, 'typo.yaml');
    writeFileSync(typo, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n  restartPolicy: Sometimes\n  containers:\n    - name: c\n      image: busybox\n');
    const t = await cli.expect(1, ['apply', '-f', typo]);
    assert.match(t.stderr, /spec\.restartPolicy/);
    assert.match(t.stderr, /Sometimes/);
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/typo')).status, 404);

    const notYaml = path.join(dir, 'broken.yaml');
    writeFileSync(notYaml, 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n');
    const y = await cli.run(['apply', '-f', notYaml]);
    assert.equal(y.code, 1, y.stderr);
    assert.match(y.stderr, /broken\.yaml/);
  });

  test('changing the file and applying again reports configured', async () => {
    const a = path.join(dir, 'multi-a.yaml');
    writeFileSync(a, twoPods.split('---\n')[0]!.replace('  name: multi-a\n', '  name: multi-a\n  labels:\n    tier: web\n'));
    assert.equal(await cli.ok(['apply', '-f', a]), 'pod/multi-a configured\n');
    assert.match(await cli.ok(['get', 'pods', '-l', 'tier=web', '--no-headers']), /^multi-a\s/);
  });
});
