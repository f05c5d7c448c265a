import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { getPod, waitContainer } from './harness/pods.js';
import { Cli, explain, rowNamed, spawnLcctl } from './harness/cli.js';

describe('lcctl logs, exec, stop, start, restart, rm, inspect and stats', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => {
    await server.start();
    await cli.importBusybox();
    await cli.ok(['run', '-d', '--name', 'box', '--memory', '32m', 'busybox', 'sh', '-c', 'echo ready; while :; do sleep 0.1; done']);
    await waitContainer(server, 'box', 'running', (cs) => cs.state.running !== undefined);
  });
  after(async () => { await server.stop(); });

  const exited = (name: string) => waitContainer(server, name, 'exited', (cs) => cs.state.terminated !== undefined);

  test('logs --tail N prints the last N lines', async () => {
    await cli.ok(['run', '-d', '--name', 'lines', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done']);
    await exited('lines');
    assert.equal(await cli.ok(['logs', 'lines']), 'line 1\nline 2\nline 3\nline 4\nline 5\n');
    assert.equal(await cli.ok(['logs', '--tail', '2', 'lines']), 'line 4\nline 5\n');
    assert.equal(await cli.ok(['logs', '--tail', '0', 'lines']), '');
  });

  test('logs -t prefixes each line with an RFC 3339 timestamp', async () => {
    const out = await cli.ok(['logs', '-t', 'lines']);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 5);
    lines.forEach((l, i) => {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) line (\d)$/.exec(l);
      assert.ok(m, `timestamped line: ${JSON.stringify(l)}`);
      assert.equal(m[2], String(i + 1));
      assert.ok(!Number.isNaN(Date.parse(m[1]!)), `parsable timestamp ${m[1]}`);
    });
  });

  test('logs -f follows new output and ends when the container exits', async () => {
    await cli.ok(['run', '-d', '--name', 'follow', 'busybox', 'sh', '-c', 'echo first; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo last; exit 0']);
    const f = spawnLcctl(server, ['logs', '-f', 'follow']);
    f.end();
    try {
      await server.until('logs -f shows the first line', async () => f.stdout().includes('first\n'));
      await cli.ok(['exec', 'follow', 'touch', '/tmp/go']);
      const r = await f.done;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'first\nlast\n');
    } finally { f.kill(); }
  });

  test('exec prints the output and exits with the command\'s status; stderr stays apart', async () => {
    const r = await cli.expect(4, ['exec', 'box', 'sh', '-c', 'echo out; echo err >&2; exit 4']);
    assert.equal(r.stdout, 'out\n');
    assert.match(r.stderr, /^err$/m);
  });

  test('exec -e, -u and -w', async () => {
    assert.equal(await cli.ok(['exec', '-e', 'FOO=bar', 'box', 'sh', '-c', 'echo $FOO']), 'bar\n');
    assert.equal(await cli.ok(['exec', '-u', '1000:1000', 'box', 'sh', '-c', 'id -u; id -g']), '1000\n1000\n');
    assert.equal(await cli.ok(['exec', '-w', '/etc', 'box', 'pwd']), '/etc\n');
  });

  test('exec of a missing command exits 127 and says what is missing', async () => {
    const r = await cli.expect(127, ['exec', 'box', '/no/such/cmd']);
    assert.match(r.stderr, /\/no\/such\/cmd/);
  });

  test('exec -i passes stdin through to the command', async () => {
    assert.equal(await cli.ok(['exec', '-i', 'box', 'cat'], 'data\nmore data\n'), 'data\nmore data\n');
    assert.equal(await cli.ok(['exec', '-i', 'box', 'wc', '-c'], 'x'.repeat(100_000)), '100000\n');
  });

  test('exec -t allocates a terminal', async () => {
    const r = await cli.expect(0, ['exec', '-t', 'box', 'tty']);
    assert.match(r.stdout, /^\/dev\/pts\/\d+\r?\n$/);
    const plain = await cli.run(['exec', 'box', 'tty']);
    assert.notEqual(plain.code, 0, 'without -t there is no terminal');
    assert.match(plain.stdout, /not a tty/);
  });

  test('stop -t 1 sends TERM first: a trap runs and the container exits cleanly', async () => {
    await cli.ok(['run', '-d', '--name', 'trapper', 'busybox', 'sh', '-c', 'trap "echo got-term; exit 0" TERM; echo ready; while :; do sleep 0.1; done']);
    await server.until('trapper ready', async () => (await cli.ok(['logs', 'trapper'])).includes('ready'));
    assert.equal((await cli.ok(['stop', '-t', '1', 'trapper'])).trim(), 'trapper');
    assert.match(await cli.ok(['logs', 'trapper']), /got-term/);
    assert.match(rowNamed(await cli.ok(['ps', '-a']), 'trapper') ?? '', /Exited \(0\)/);
  });

  test('stop kills a process that ignores TERM after the grace period (exit 137)', async () => {
    await cli.ok(['run', '-d', '--name', 'stubborn', 'busybox', 'sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done']);
    await server.until('stubborn ready', async () => (await cli.ok(['logs', 'stubborn'])).includes('ready'));
    await cli.ok(['stop', '-t', '1', 'stubborn']);
    const t = (await getPod(server, 'stubborn'))?.status?.containerStatuses?.[0]?.state.terminated;
    assert.equal(t?.exitCode, 137, JSON.stringify(t));
    assert.match(rowNamed(await cli.ok(['ps', '-a']), 'stubborn') ?? '', /Exited \(137\)/);
    assert.equal(rowNamed(await cli.ok(['ps']), 'stubborn'), undefined);
  });

  test('start brings a stopped container back up, and the restart shows', async () => {
    await cli.ok(['start', 'trapper']);
    assert.match(rowNamed(await cli.ok(['ps']), 'trapper') ?? '', /\bUp\b/);
    const cs = (await getPod(server, 'trapper'))?.status?.containerStatuses?.[0];
    assert.ok(cs?.state.running, JSON.stringify(cs));
    assert.equal(cs.restartCount, 1);
    assert.match(await cli.ok(['get', 'pods', 'trapper', '--no-headers']), /^trapper\s+1\/1\s+Running\s+1\b/);
    await server.until('the new instance logs ready', async () => (await cli.ok(['logs', 'trapper'])).includes('ready'));
  });

  test('restart stops and starts a running container', async () => {
    const beforeId = (await getPod(server, 'trapper'))?.status?.containerStatuses?.[0]?.containerID;
    await cli.ok(['restart', '-t', '1', 'trapper']);
    const cs = (await getPod(server, 'trapper'))?.status?.containerStatuses?.[0];
    assert.ok(cs?.state.running, JSON.stringify(cs));
    assert.equal(cs.restartCount, 2);
    assert.notEqual(cs.containerID, beforeId, 'a new container instance');
    assert.equal(cs.lastState?.terminated?.exitCode, 0, 'the old one ran its TERM trap');
    assert.match(rowNamed(await cli.ok(['ps']), 'trapper') ?? '', /\bUp\b/);
  });

  test('rm refuses a running container without -f and removes it with -f', async () => {
    const r = await cli.expect(1, ['rm', 'trapper']);
    assert.match(r.stderr, /trapper/);
    assert.match(r.stderr, /running/);
    assert.ok((await getPod(server, 'trapper'))?.status?.containerStatuses?.[0]?.state.running, 'still running after the refused rm');
    assert.equal((await cli.ok(['rm', '-f', 'trapper'])).trim(), 'trapper');
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/trapper')).status, 404);
    assert.equal(rowNamed(await cli.ok(['ps', '-a']), 'trapper'), undefined);
    // A stopped container needs no -f.
    await cli.ok(['rm', 'stubborn']);
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/stubborn')).status, 404);
  });

  test('a missing container is reported by name', async () => {
    for (const verb of [['logs'], ['stop'], ['start'], ['rm'], ['exec']]) {
      const r = await cli.run([...verb, 'nosuch', ...(verb[0] === 'exec' ? ['true'] : [])]);
      assert.notEqual(r.code, 0, explain(server, r));
      assert.match(r.stderr, /No such container: nosuch/, explain(server, r));
    }
  });

  test('inspect prints a JSON array holding the pod', async () => {
    const arr = JSON.parse(await cli.ok(['inspect', 'box'])) as { kind: string; metadata: { name: string }; status: { podIP?: string } }[];
    assert.ok(Array.isArray(arr));
    assert.equal(arr.length, 1);
    assert.equal(arr[0]?.kind, 'Pod');
    assert.equal(arr[0]?.metadata.name, 'box');
    assert.equal((await cli.ok(['inspect', '-f', '{{.status.podIP}}', 'box'])).trim(), arr[0]?.status.podIP);
    const missing = await cli.expect(1, ['inspect', 'box', 'nosuch']);
    assert.equal((JSON.parse(missing.stdout) as unknown[]).length, 1, 'the found one is still printed');
  });

  test('stats --no-stream shows the columns and the memory limit set with --memory', async () => {
    const out = await cli.ok(['stats', '--no-stream', 'box']);
    const [header, row] = out.split('\n');
    assert.match(header ?? '', /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+PIDS$/);
    assert.match(row ?? '', /^[0-9a-f]{12}\s+box\s+\d+\.\d+%\s+[\d.]+[KMG]?i?B\s+\/\s+32MiB\s+\d+\.\d+%\s+\d+$/);
  });

  test('containers can be named by ID or ID prefix, and rm -f $(ps -aq) removes them all', async () => {
    const id = (await cli.ok(['run', '-d', 'busybox', 'sh', '-c', 'echo by-id; while :; do sleep 0.1; done'])).trim();
    await server.until('by-id output', async () => (await cli.ok(['logs', id])).includes('by-id'));
    assert.equal(await cli.ok(['exec', id.slice(0, 5), 'echo', 'prefix-ok']), 'prefix-ok\n');
    assert.equal((await cli.ok(['stop', '-t', '1', id])).trim(), id);
    const all = (await cli.ok(['ps', '-aq'])).trim().split('\n').filter((x) => x !== '');
    assert.ok(all.includes(id), `ps -aq lists ${id}: ${all.join(' ')}`);
    await cli.ok(['rm', '-f', ...all]);
    assert.equal(await cli.ok(['ps', '-aq']), '');
    const pods = await server.api<{ items: unknown[] }>('GET', '/api/v1/namespaces/default/pods');
    assert.equal(pods.body.items.length, 0);
  });
});
