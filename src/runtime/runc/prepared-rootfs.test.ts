import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMountPoint, mountOverlay, unmountRootfs } from '../../host/overlay.js';
import { readCriLog } from '../cri-log.js';
import { makeTestEnv, type TestEnv } from './testing.js';

describe('RuncRuntime on a prepared rootfs (what the builder hands it)', () => {
  let env: TestEnv;
  before(async () => { env = await makeTestEnv('prep'); });
  after(async () => { await env.cleanup(); });

  test('runs on the given mount in a netns with loopback only; wait() gives the exit code; the mount stays', async () => {
    const snap = join(env.dir, 'snap');
    const [rootfs, upper, work] = ['rootfs', 'upper', 'work'].map((d) => join(snap, d)) as [string, string, string];
    for (const d of [rootfs, upper, work]) await mkdir(d, { recursive: true });
    await mountOverlay([env.layer], upper, work, rootfs);
    try {
      const c = env.config({ rootfsLayers: [], rootfsPath: rootfs, netns: 'none', args: ['sh', '-c', 'cat /proc/net/dev | tail -n +3 | cut -d: -f1; echo made > /data/file; exit 4'] });
      await env.runtime.create(c);
      await env.runtime.start(c.id);
      const info = await env.runtime.wait(c.id);
      assert.equal(info.status, 'stopped');
      assert.equal(info.exitCode, 4);
      assert.deepEqual((await readCriLog(info.logPath)).map((l) => l.text.trim()), ['lo'], 'a namespace of its own with loopback only');
      await env.runtime.remove(c.id);
      assert.equal(await isMountPoint(rootfs), true, 'the runtime leaves a rootfs it did not mount');
      await unmountRootfs(rootfs);
      assert.equal(await readFile(join(upper, 'data', 'file'), 'utf8'), 'made\n', 'the write landed in the preparer\'s upper dir');
    } finally {
      await unmountRootfs(rootfs);
    }
  });

  test('rootfsPath and rootfsLayers together, or a relative rootfsPath, are refused before anything runs', async () => {
    await assert.rejects(env.runtime.create(env.config({ rootfsPath: env.layer })), /rootfsPath .* rootfsLayers empty/);
    await assert.rejects(env.runtime.create(env.config({ rootfsLayers: [], rootfsPath: 'relative/dir' })), /must be an absolute path/);
    assert.deepEqual(await env.runtime.list(), [], 'nothing was created');
  });
});
