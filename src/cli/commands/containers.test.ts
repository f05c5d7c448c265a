import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { startCluster, type Cluster } from '../testing/cluster.js';

describe('container verbs', () => {
  let c: Cluster;
  before(async () => {
    c = await startCluster();
    for (const name of ['one', 'two']) {
      const r = await c.lcctl(['run', '-d', '--name', name, '-l', `who=${name}`, 'busybox', 'sleep', '60']);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal((await c.lcctl(['run', '--name', 'done', 'busybox', 'exit', '0'])).code, 0);
  });
  after(async () => { await c.close(); });

  test('ps lists running containers; -a adds exited ones; -q prints IDs', async () => {
    const ps = await c.lcctl(['ps']);
    assert.equal(ps.code, 0, ps.stderr);
    const lines = ps.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/ {3,}/).at(-1)).sort(), ['one', 'two']);
    assert.match(ps.stdout, /"sleep 60"/);
    assert.match(ps.stdout, /Up (Less than a second|\d+ seconds?)/);
    const all = await c.lcctl(['ps', '-a']);
    assert.match(all.stdout, /Exited \(0\) .* ago +done/);
    const q = await c.lcctl(['ps', '-aq']);
    assert.equal(q.stdout.trim().split('\n').length, 3);
    assert.match(q.stdout, /^[0-9a-f]{12}$/m);
  });

  test('ps --filter and --format json', async () => {
    const r = await c.lcctl(['ps', '-a', '--filter', 'label=who=two', '--format', 'json']);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.Names, 'two');
    assert.equal(rows[0]!.State, 'running');
    assert.equal(rows[0]!.Image, 'busybox');
    const exited = await c.lcctl(['ps', '--filter', 'status=exited', '--format', '{{.Names}}']);
    assert.equal(exited.stdout, 'done\n');
  });

  test('inspect prints a JSON array; a missing one is reported with exit 1', async () => {
    const r = await c.lcctl(['inspect', 'one', 'ghost']);
    assert.equal(r.code, 1);
    const arr = JSON.parse(r.stdout) as Pod[];
    assert.equal(arr.length, 1);
    assert.equal(arr[0]!.metadata.name, 'one');
    assert.match(r.stderr, /No such container: ghost/);
  });

  test('stop sets run-state and waits; start bumps start-count and waits for the new start', async () => {
    const stop = await c.lcctl(['stop', '-t', '3', 'two']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(stop.stdout, 'two\n');
    let pod = await c.api.get<Pod>('pods', 'two', 'default');
    assert.equal(pod.metadata.annotations?.['lantern.dev/run-state'], 'stopped');
    assert.equal(pod.metadata.annotations?.['lantern.dev/stop-grace-seconds'], '3');
    assert.equal(pod.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 143);
    const start = await c.lcctl(['start', 'two']);
    assert.equal(start.code, 0, start.stderr);
    pod = await c.api.get<Pod>('pods', 'two', 'default');
    assert.equal(pod.metadata.annotations?.['lantern.dev/run-state'], undefined);
    assert.equal(pod.metadata.annotations?.['lantern.dev/start-count'], '1');
    assert.notEqual(pod.status?.containerStatuses?.[0]?.state.running, undefined);
    const restart = await c.lcctl(['restart', 'two']);
    assert.equal(restart.code, 0, restart.stderr);
    pod = await c.api.get<Pod>('pods', 'two', 'default');
    assert.equal(pod.metadata.annotations?.['lantern.dev/start-count'], '2');
  });

  test('rm refuses a running container without -f (exit 1); rm -f removes it and waits', async () => {
    const r = await c.lcctl(['rm', 'one']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot remove running container one: stop the container before removing or force remove/);
    const f = await c.lcctl(['rm', '-f', 'one', 'done']);
    assert.equal(f.code, 0, f.stderr);
    assert.equal(f.stdout, 'one\ndone\n');
    await assert.rejects(c.api.get('pods', 'one', 'default'), /not found/);
  });
});
