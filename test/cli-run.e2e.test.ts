import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { getPod, waitContainer } from './harness/pods.js';
import { Cli, explain, rowNamed, spawnLcctl } from './harness/cli.js';

describe('lcctl run: output, exit status, errors and process settings', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const scratch = mkdtempSync(path.join(tmpdir(), 'lantern-cli-run-'));
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); rmSync(scratch, { recursive: true, force: true }); });
  const podNames = async (): Promise<string[]> =>
    (await server.api<{ items: { metadata: { name: string } }[] }>('GET', '/api/v1/namespaces/default/pods')).body.items.map((p) => p.metadata.name).sort();

  test('a foreground run prints the output and exits with the command\'s status', async () => {
    const r = await cli.expect(3, ['run', '--name', 'fg', 'busybox', 'sh', '-c', 'echo hi; exit 3']);
    assert.equal(r.stdout, 'hi\n');
  });

  test('the container\'s stderr goes to lcctl\'s stderr, stdout to stdout', async () => {
    const r = await cli.expect(0, ['run', '--rm', 'busybox', 'sh', '-c', 'echo to-out; echo to-err >&2']);
    assert.equal(r.stdout, 'to-out\n');
    assert.match(r.stderr, /^to-err$/m);
    assert.doesNotMatch(r.stdout, /to-err/);
  });

  test('--rm leaves no container behind once run returns', async () => {
    const r = await cli.expect(5, ['run', '--rm', '--name', 'gone', 'busybox', 'sh', '-c', 'echo bye; exit 5']);
    assert.equal(r.stdout, 'bye\n');
    // Docker's `run --rm` returns after the container is removed: nothing to see, not even "Removal In Progress".
    const ps = await cli.ok(['ps', '-a']);
    assert.equal(rowNamed(ps, 'gone'), undefined, `ps -a right after run --rm:\n${ps}`);
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/gone')).status, 404);
  });

  test('-d prints the container ID and ps shows it Up', async () => {
    const out = await cli.ok(['run', '-d', '--name', 'bg', 'busybox', 'sleep', '300']);
    assert.match(out, /^[0-9a-f]{12}\n$/);
    const id = out.trim();
    const row = rowNamed(await cli.ok(['ps']), 'bg');
    assert.ok(row, 'ps lists the detached container');
    assert.ok(row.startsWith(id), `ps row starts with the ID ${id}: ${row}`);
    assert.match(row, /\bUp\b/);
    assert.equal((await getPod(server, 'bg'))?.status?.containerStatuses?.[0]?.state.running !== undefined, true);
  });

  test('a name that is taken is refused with a message naming it', async () => {
    await cli.ok(['run', '-d', '--name', 'taken', 'busybox', 'sleep', '300']);
    const r = await cli.run(['run', '-d', '--name', 'taken', 'busybox', 'true']);
    assert.notEqual(r.code, 0, explain(server, r));
    assert.match(r.stderr, /"taken" is already in use/);
    assert.equal(r.stdout, '');
    // The first container is untouched.
    assert.equal((await getPod(server, 'taken'))?.status?.containerStatuses?.[0]?.state.running !== undefined, true);
  });

  test('an unknown image exits 125 and names the image', async () => {
    const r = await cli.expect(125, ['run', '--name', 'noimg', 'no-such-image:9', 'true']);
    assert.match(r.stderr, /no-such-image:9/);
  });

  test('a command that does not exist exits 127', async () => {
    const r = await cli.expect(127, ['run', '--rm', 'busybox', '/no/such/binary']);
    assert.match(r.stderr, /\/no\/such\/binary/);
  });

  test('bad flags exit 125 and name the flag or value', async () => {
    const before = await podNames();
    const mem = await cli.expect(125, ['run', '--memory', '12q', 'busybox', 'true']);
    assert.match(mem.stderr, /12q/);
    assert.match(mem.stderr, /--memory/);
    const restart = await cli.expect(125, ['run', '--restart', 'sometimes', 'busybox', 'true']);
    assert.match(restart.stderr, /sometimes/);
    assert.match(restart.stderr, /--restart/);
    const unknown = await cli.expect(125, ['run', '--nope', 'busybox', 'true']);
    assert.match(unknown.stderr, /--nope/);
    const created = (await podNames()).filter((n) => !before.includes(n));
    assert.deepEqual(created, [], 'a refused flag creates nothing');
  });

  test('-e and --env-file set the environment (later -e wins)', async () => {
    const envFile = path.join(scratch, 'env');
    writeFileSync(envFile, '# a comment\nFROM_FILE=file value\n\nSHARED=from-file\n');
    const r = await cli.expect(0, ['run', '--rm', '-e', 'K=V', '--env-file', envFile, '-e', 'SHARED=from-flag', 'busybox', 'sh', '-c', 'echo "$K|$FROM_FILE|$SHARED"']);
    assert.equal(r.stdout, 'V|file value|from-flag\n');
  });

  test('--env-file naming a missing file exits 125 and names the file', async () => {
    const missing = path.join(scratch, 'no-such.env');
    const r = await cli.expect(125, ['run', '--rm', '--env-file', missing, 'busybox', 'true']);
    assert.match(r.stderr, /--env-file/);
    assert.match(r.stderr, new RegExp(missing.replace(/[.]/g, '\\.')));
  });

  test('-e KEY without a value copies KEY from lcctl\'s environment', async () => {
    const r = await cli.run(['run', '--rm', '-e', 'FROM_HOST', 'busybox', 'sh', '-c', 'echo "[$FROM_HOST]"'], undefined, { FROM_HOST: 'copied' });
    assert.equal(r.code, 0, explain(server, r));
    assert.equal(r.stdout, '[copied]\n');
  });

  test('-i passes lcctl\'s stdin to the container', async () => {
    const r = await cli.expect(4, ['run', '--rm', '-i', 'busybox', 'sh', '-c', 'cat; exit 4'], 'piped in\n');
    assert.equal(r.stdout, 'piped in\n');
  });

  test('a foreground run ends with the container when another lcctl stops it', async () => {
    const fg = spawnLcctl(server, ['run', '--name', 'stopped-fg', 'busybox', 'sh', '-c', 'trap "echo bye; exit 0" TERM; echo ready; while :; do sleep 0.1; done']);
    fg.end();
    try {
      await server.until('the foreground container printed ready', async () => fg.stdout().includes('ready\n'));
      await cli.ok(['stop', '-t', '5', 'stopped-fg']);
      const r = await fg.done;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'ready\nbye\n');
    } finally { fg.kill(); }
  });

  test('Ctrl-C (SIGINT) on a foreground run stops the container and run exits with its status', async () => {
    const fg = spawnLcctl(server, ['run', '--name', 'interrupted', 'busybox', 'sh', '-c', 'trap "echo stopping; exit 7" TERM INT; echo ready; while :; do sleep 0.1; done']);
    fg.end();
    try {
      await server.until('the foreground container printed ready', async () => fg.stdout().includes('ready\n'));
      fg.kill('SIGINT');
      const r = await fg.done;
      assert.equal(r.code, 7, r.stderr);
      assert.match(r.stdout, /stopping/);
      const cs = (await getPod(server, 'interrupted'))?.status?.containerStatuses?.[0];
      assert.equal(cs?.state.terminated?.exitCode, 7, 'the container is stopped, not left running');
    } finally { fg.kill(); }
  });

  test('-d --rm: the container is removed once it exits on its own', async () => {
    await cli.ok(['run', '-d', '--rm', '--name', 'auto-rm', 'busybox', 'sh', '-c', 'echo done']);
    await server.until('auto-rm removed', async () => (await server.api('GET', '/api/v1/namespaces/default/pods/auto-rm')).status === 404);
    assert.equal(rowNamed(await cli.ok(['ps', '-a']), 'auto-rm'), undefined);
  });

  test('-w sets the working directory', async () => {
    assert.equal((await cli.expect(0, ['run', '--rm', '-w', '/etc', 'busybox', 'pwd'])).stdout, '/etc\n');
  });

  test('-u 1000:1000 runs as that uid and gid', async () => {
    assert.equal((await cli.expect(0, ['run', '--rm', '-u', '1000:1000', 'busybox', 'sh', '-c', 'id -u; id -g'])).stdout, '1000\n1000\n');
  });

  test('-l sets labels and ps --filter label=k=v shows only the matching container', async () => {
    const a = (await cli.ok(['run', '-d', '--name', 'lab-a', '-l', 'team=blue', 'busybox', 'sleep', '300'])).trim();
    await cli.ok(['run', '-d', '--name', 'lab-b', '-l', 'team=red', 'busybox', 'sleep', '300']);
    const out = await cli.ok(['ps', '--filter', 'label=team=blue']);
    const rows = out.trim().split('\n').slice(1);
    assert.equal(rows.length, 1, out);
    assert.ok(rows[0]!.startsWith(a), out);
    assert.equal(rowNamed(out, 'lab-a') !== undefined, true, out);
    const q = await cli.ok(['ps', '-q', '--filter', 'label=team']);
    assert.equal(q.trim().split('\n').length, 2, `label=team matches both:\n${q}`);
  });

  test('--entrypoint replaces the image entrypoint and the rest become its arguments', async () => {
    assert.equal((await cli.expect(0, ['run', '--rm', '--entrypoint', 'echo', 'busybox', 'hello', 'there'])).stdout, 'hello there\n');
  });

  test('--hostname sets the container host name', async () => {
    assert.equal((await cli.expect(0, ['run', '--rm', '--hostname', 'my-box', 'busybox', 'hostname'])).stdout, 'my-box\n');
  });

  test('a container that ran in the foreground shows Exited with its code in ps -a', async () => {
    await waitContainer(server, 'fg', 'terminated', (cs) => cs.state.terminated !== undefined);
    const row = rowNamed(await cli.ok(['ps', '-a']), 'fg');
    assert.match(row ?? '', /Exited \(3\)/);
    assert.equal(rowNamed(await cli.ok(['ps']), 'fg'), undefined, 'ps without -a lists running containers only');
  });
});
