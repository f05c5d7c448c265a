import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { eventually } from '../../testing/eventually.js';
import { startCluster, type Cluster } from '../testing/cluster.js';

/** Resolves true once the pod is gone or marked for removal (false if neither within 2 s). */
async function goneOrGoing(c: Cluster, name: string): Promise<boolean> {
  const going = async (): Promise<boolean> => {
    try { return (await c.api.get<Pod>('pods', name, 'default')).metadata.deletionTimestamp !== undefined; } catch { return true; }
  };
  return eventually(`pod ${name} gone or going`, going, { timeoutMs: 2000, intervalMs: 20 }).catch(() => false);
}

describe('lcctl run', () => {
  let c: Cluster;
  before(async () => { c = await startCluster(); });
  after(async () => { await c.close(); });

  test('foreground: the exit status of the container comes through', async () => {
    const r = await c.lcctl(['run', '--name', 'fg', 'busybox', 'exit', '3']);
    assert.equal(r.code, 3, r.stderr);
    // This scripted node serves no logs: lcctl says so instead of failing the run.
    assert.match(r.stderr, /cannot read the output of fg/);
  });

  test('--rm returns once the pod is gone', async () => {
    const r = await c.lcctl(['run', '--rm', '--name', 'gone', 'busybox', 'exit', '0']);
    assert.equal(r.code, 0, r.stderr);
    await assert.rejects(c.api.get('pods', 'gone', 'default'), /not found/);
  });

  test('--rm with the same --name again waits for the previous pod to go', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await c.lcctl(['run', '--rm', '--name', 'again', 'busybox', 'exit', '0']);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  test('-d prints the 12-hex container ID once running, and the pod carries the flags', async () => {
    const r = await c.lcctl(['run', '-d', '--name', 'bg', '-l', 'app=web', '-e', 'A=1', '-p', '127.0.0.1:8080:80', '--restart', 'on-failure:2', 'busybox', 'sleep', '60']);
    assert.equal(r.code, 0, r.stderr);
    const pod = await c.api.get<Pod>('pods', 'bg', 'default');
    assert.equal(r.stdout, `${pod.metadata.uid!.replace(/-/g, '').slice(0, 12)}\n`);
    assert.equal(pod.metadata.labels?.app, 'web');
    assert.equal(pod.metadata.annotations?.['lantern.dev/docker-run'], 'true');
    assert.equal(pod.metadata.annotations?.['lantern.dev/max-restarts'], '2');
    assert.equal(pod.spec.restartPolicy, 'OnFailure');
    assert.deepEqual(pod.spec.containers[0]!.env, [{ name: 'A', value: '1' }]);
    assert.equal(pod.status?.containerStatuses?.[0]?.state.running !== undefined, true);
  });

  test('an image that cannot be pulled: error on stderr, pod deleted, exit 125', async () => {
    const r = await c.lcctl(['run', '--name', 'nopull', 'missing']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /^lcctl: Error: image "missing" is not present on node n1/);
    assert.equal(await goneOrGoing(c, 'nopull'), true);
  });

  test("an invalid --name gets the API's message and exit 125", async () => {
    const r = await c.lcctl(['run', '--name', 'Bad_Name', 'busybox']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /lcctl: Error: .*invalid name "Bad_Name"/);
  });

  test('a --name in use is a conflict naming the holder', async () => {
    await c.lcctl(['run', '-d', '--name', 'taken', 'busybox', 'sleep', '60']);
    const r = await c.lcctl(['run', '--name', 'taken', 'busybox']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /the container name "taken" is already in use by container "[0-9a-f]{12}"/);
  });

  test('bad flags exit 125 with the flag named', async () => {
    const r = await c.lcctl(['run', '--foo', 'busybox']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /unknown flag: --foo/);
    const m = await c.lcctl(['run', '--memory', '12q', 'busybox']);
    assert.equal(m.code, 125);
    assert.match(m.stderr, /invalid size: '12q'/);
  });
});
