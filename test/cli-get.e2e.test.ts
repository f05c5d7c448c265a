import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TestServer } from './harness/lanternd.js';
import { waitContainer, type PodView } from './harness/pods.js';
import { Cli } from './harness/cli.js';

const podYaml = (name: string, command: string[], restartPolicy = 'Never'): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n    app: ${name}\nspec:\n  restartPolicy: ${restartPolicy}\n  containers:\n    - name: main\n      image: busybox\n      command: ${JSON.stringify(command)}\n`;

/** Split a kubectl-style table (columns separated by 2+ spaces, no empty cells) into header and rows. */
function table(text: string): { header: string[]; rows: string[][] } {
  const [head = '', ...lines] = text.trimEnd().split('\n');
  return { header: head.trim().split(/\s{2,}/), rows: lines.map((l) => l.trim().split(/\s{2,}/)) };
}

describe('lcctl get, describe and delete (kubectl verbs)', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => {
    await server.start();
    await cli.importBusybox();
    await cli.ok(['apply', '-f', '-'], `${podYaml('sleeper', ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.1; done'], 'Always')}---\n${podYaml('quitter', ['sh', '-c', 'exit 3'])}`);
    await waitContainer(server, 'sleeper', 'running', (cs) => cs.state.running !== undefined);
    await waitContainer(server, 'quitter', 'exited', (cs) => cs.state.terminated !== undefined);
  });
  after(async () => { await server.stop(); });

  test('get pods prints NAME READY STATUS RESTARTS AGE with each pod\'s state', async () => {
    const t = table(await cli.ok(['get', 'pods']));
    assert.deepEqual(t.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const byName = new Map(t.rows.map((r) => [r[0], r]));
    assert.deepEqual(byName.get('sleeper')?.slice(1, 4), ['1/1', 'Running', '0']);
    assert.deepEqual(byName.get('quitter')?.slice(1, 4), ['0/1', 'Error', '0']);
    assert.match(byName.get('sleeper')?.[4] ?? '', /^\d+[smhd]/);
  });

  test('get pods -o wide adds the pod IP and the node', async () => {
    const t = table(await cli.ok(['get', 'pods', '-o', 'wide']));
    assert.deepEqual(t.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE']);
    const row = t.rows.find((r) => r[0] === 'sleeper');
    const prefix = server.subnet.split('.').slice(0, 3).join('.');
    assert.ok(row?.[5]?.startsWith(`${prefix}.`), `IP in ${server.subnet}: ${row?.join(' | ')}`);
    assert.equal(row?.[6], 'node-1');
  });

  test('get pod NAME -o json prints the object; get pods -o json a List', async () => {
    const one = JSON.parse(await cli.ok(['get', 'pod', 'quitter', '-o', 'json'])) as PodView & { kind: string };
    assert.equal(one.kind, 'Pod');
    assert.equal(one.metadata.name, 'quitter');
    assert.equal(one.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 3);
    const list = JSON.parse(await cli.ok(['get', 'pods', '-o', 'json'])) as { kind: string; items: PodView[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items.map((p) => p.metadata.name).sort(), ['quitter', 'sleeper']);
  });

  test('get pod NAME -o yaml prints the same object as YAML', async () => {
    const y = parseYaml(await cli.ok(['get', 'pod', 'sleeper', '-o', 'yaml'])) as PodView & { kind: string };
    assert.equal(y.kind, 'Pod');
    assert.equal(y.metadata.name, 'sleeper');
    assert.equal(y.spec.nodeName, 'node-1');
    assert.ok(y.status?.containerStatuses?.[0]?.state.running);
  });

  test('get pods -l selects by label; get pods -o name', async () => {
    assert.equal(await cli.ok(['get', 'pods', '-l', 'app=sleeper', '-o', 'name']), 'pod/sleeper\n');
    const none = await cli.expect(0, ['get', 'pods', '-l', 'app=nothing']);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /No resources found in default namespace/);
  });

  test('get of a missing pod exits 1 with kubectl\'s NotFound message', async () => {
    const r = await cli.expect(1, ['get', 'pod', 'nosuch']);
    assert.match(r.stderr, /NotFound.*"nosuch" not found/);
  });

  test('get nodes shows the node Ready', async () => {
    const t = table(await cli.ok(['get', 'nodes']));
    assert.deepEqual(t.header, ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.equal(t.rows.length, 1);
    assert.equal(t.rows[0]?.[0], 'node-1');
    assert.equal(t.rows[0]?.[1], 'Ready');
  });

  test('get nodes -o wide shows the OS image as /etc/os-release names it', async () => {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    assert.ok(pretty);
    const t = table(await cli.ok(['get', 'nodes', '-o', 'wide']));
    assert.deepEqual(t.header, ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    const row = t.rows[0] ?? [];
    assert.equal(row[6], pretty, `OS-IMAGE column of: ${row.join(' | ')}`);
    assert.equal(row[7], release());
  });

  test('a server that is not there, or a wrong token, is reported plainly', async () => {
    const down = await cli.expect(1, ['--server', 'http://127.0.0.1:1', 'get', 'pods']);
    assert.match(down.stderr, /127\.0\.0\.1:1/);
    assert.match(down.stderr, /cannot connect|ECONNREFUSED|refused/i);
    const badToken = await cli.expect(1, ['--token', 'not-the-token', 'get', 'pods']);
    assert.match(badToken.stderr, /token/i);
  });

  test('describe pod shows the state, the exit code and the Containers and Conditions sections', async () => {
    const out = await cli.ok(['describe', 'pod', 'quitter']);
    assert.match(out, /^Name:\s+quitter$/m);
    assert.match(out, /^Node:\s+node-1/m);
    assert.match(out, /^Status:\s+Failed$/m);
    assert.match(out, /^Containers:$/m);
    assert.match(out, /^\s+main:$/m);
    assert.match(out, /^\s+State:\s+Terminated$/m);
    assert.match(out, /^\s+Reason:\s+Error$/m);
    assert.match(out, /^\s+Exit Code:\s+3$/m);
    assert.match(out, /^Conditions:$/m);
    assert.match(out, /^\s+Ready\s+False$/m);
    const running = await cli.ok(['describe', 'pod', 'sleeper']);
    assert.match(running, /^\s+State:\s+Running$/m);
    assert.match(running, /^\s+Ready\s+True$/m);
  });

  test('delete pod NAME removes it (and its container)', async () => {
    const runcRoot = path.join(server.dataDir, 'agent/containers/runc');
    const before = readdirSync(runcRoot).length;
    assert.match(await cli.ok(['delete', 'pod', 'sleeper']), /pod "sleeper" deleted/);
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/sleeper')).status, 404);
    const r = await cli.expect(1, ['get', 'pod', 'sleeper']);
    assert.match(r.stderr, /not found/);
    assert.doesNotMatch(await cli.ok(['get', 'pods']), /sleeper/);
    assert.equal(readdirSync(runcRoot).length, before - 1, 'its runc container is gone');
    const again = await cli.expect(1, ['delete', 'pod', 'sleeper']);
    assert.match(again.stderr, /NotFound/);
  });
});
