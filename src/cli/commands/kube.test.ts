import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Pod } from '../../api/pod.js';
import { startCluster, type Cluster } from '../testing/cluster.js';

const pod = (name: string, labels = 'app: demo'): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels: {${labels}}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: main\n    image: busybox\n    args: [sleep, "60"]\n`;

describe('kubectl-style verbs', () => {
  let c: Cluster;
  let file: string;
  before(async () => {
    c = await startCluster();
    file = join(c.dir, 'pods.yaml');
    writeFileSync(file, `${pod('alpha')}---\n${pod('beta')}`);
  });
  after(async () => { await c.close(); });

  test('apply: created, then unchanged, then configured after a change', async () => {
    let r = await c.lcctl(['apply', '-f', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod/alpha created\npod/beta created\n');
    r = await c.lcctl(['apply', '-f', file]);
    assert.equal(r.stdout, 'pod/alpha unchanged\npod/beta unchanged\n');
    writeFileSync(file, `${pod('alpha', 'app: demo, tier: web')}---\n${pod('beta')}`);
    r = await c.lcctl(['apply', '-f', file]);
    assert.equal(r.stdout, 'pod/alpha configured\npod/beta unchanged\n');
    assert.equal((await c.api.get<Pod>('pods', 'alpha', 'default')).metadata.labels?.tier, 'web');
  });

  test('apply -f - reads stdin; an invalid object exits 1 with the field named', async () => {
    const r = await c.lcctl(['apply', '-f', '-'], { stdin: pod('gamma') });
    assert.equal(r.stdout, 'pod/gamma created\n');
    const bad = await c.lcctl(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers:\n  - name: c\n' });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^Error from server \(Invalid\): .*spec\.containers\[0\]\.image/m);
  });

  test('get pods: the kubectl table; -o wide, name, json, yaml', async () => {
    await c.lcctl(['run', '-d', '--name', 'runner', 'busybox', 'sleep', '60']);
    const t = await c.lcctl(['get', 'pods', 'runner']);
    assert.match(t.stdout, /^NAME +READY +STATUS +RESTARTS +AGE\nrunner +1\/1 +Running +0 +\d+s\n$/);
    assert.match((await c.lcctl(['get', 'po', 'runner', '-o', 'wide'])).stdout, /^runner +1\/1 +Running +0 +\d+s +10\.0\.0\.9 +n1$/m);
    assert.equal((await c.lcctl(['get', 'pods', '-l', 'app=demo', '-o', 'name'])).stdout, 'pod/alpha\npod/beta\npod/gamma\n');
    const one = JSON.parse((await c.lcctl(['get', 'pod', 'alpha', '-o', 'json'])).stdout) as Pod;
    assert.equal(one.kind, 'Pod');
    const list = JSON.parse((await c.lcctl(['get', 'pods', '-o', 'json'])).stdout) as { kind: string; items: Pod[] };
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, 4);
    const y = parse((await c.lcctl(['get', 'pods', 'alpha', 'beta', '-o', 'yaml'])).stdout) as { kind: string; items: Pod[] };
    assert.deepEqual(y.items.map((p) => p.metadata.name), ['alpha', 'beta']);
  });

  test('get: a missing name exits 1 with the server message; bad flags and kinds exit 1', async () => {
    const r = await c.lcctl(['get', 'pods', 'alpha', 'nosuch']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^alpha /m);
    assert.match(r.stderr, /Error from server \(NotFound\): .*"nosuch" not found/);
    const flag = await c.lcctl(['get', 'pods', '--bogus']);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /^error: unknown flag: --bogus/);
    const kind = await c.lcctl(['get', 'widgets']);
    assert.equal(kind.code, 1);
    assert.match(kind.stderr, /doesn't have a resource type "widgets"/);
    const empty = await c.lcctl(['get', 'pods', '-n', 'empty']);
    assert.equal(empty.code, 0);
    assert.match(empty.stderr, /No resources found in empty namespace/);
  });

  test('get nodes and describe node list the node and its pods', async () => {
    const n = await c.lcctl(['get', 'nodes']);
    assert.equal(n.code, 0, n.stderr);
    assert.match(n.stdout, /^NAME +STATUS +ROLES +AGE +VERSION\nn1 +Ready +<none> +\d+s +<unknown>\n$/);
    const node = await c.lcctl(['describe', 'node', 'n1']);
    assert.equal(node.code, 0, node.stderr);
    assert.match(node.stdout, /^Non-terminated Pods: +\(\d+ in total\)$/m);
    assert.match(node.stdout, /^ +default +runner +/m);
    assert.match(node.stdout, /^ +InternalIP: +192\.0\.2\.10$/m);
    const pods = await c.lcctl(['describe', 'pod', 'runner']);
    assert.match(pods.stdout, /^Name: +runner$/m);
    assert.match(pods.stdout, /^ +State: +Running$/m);
  });

  test('delete pod waits until it is gone; delete -f removes the file\'s objects', async () => {
    const r = await c.lcctl(['delete', 'pod', 'gamma']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod "gamma" deleted\n');
    await assert.rejects(c.api.get('pods', 'gamma', 'default'), /not found/);
    const f = await c.lcctl(['delete', '-f', file, '--grace-period', '0']);
    assert.equal(f.stdout, 'pod "alpha" deleted\npod "beta" deleted\n');
    const again = await c.lcctl(['delete', 'pod', 'alpha']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /NotFound/);
    assert.equal((await c.lcctl(['delete', 'pod', 'alpha', '--ignore-not-found'])).code, 0);
  });
});
