import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hasProjectQuotas, mountOf, usedBytes } from './local-path-usage.js';

const dirs: string[] = [];
after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const mountinfo = [
  '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard',
  '30 22 254:16 / /var/lib/lantern rw,relatime shared:2 - xfs /dev/vdb rw,attr2,prjquota',
  '31 22 254:32 / /srv/ext rw - ext4 /dev/vdc rw,prjquota',
].join('\n');

describe('local-path sizes: project quotas or reported use', () => {
  test('the mount holding a directory is the longest mount point above it', () => {
    assert.equal(mountOf(mountinfo, '/var/lib/lantern/storage/pvc-1')?.point, '/var/lib/lantern');
    assert.equal(mountOf(mountinfo, '/var/lib/lanternx')?.point, '/');
  });

  test('project quotas only on ext4/xfs mounted prjquota; this host\'s root (ext4 without it) has none', async () => {
    assert.equal(await hasProjectQuotas('/var/lib/lantern/storage', mountinfo), true);
    assert.equal(await hasProjectQuotas('/srv/ext/storage', mountinfo), true);
    assert.equal(await hasProjectQuotas('/tmp/storage', mountinfo), false);
  });

  test('used bytes count the files under the volume, without following symlinks out of it', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 's1b-usage-'));
    dirs.push(base);
    const vol = path.join(base, 'pvc-1');
    await mkdir(path.join(vol, 'sub'), { recursive: true });
    await writeFile(path.join(vol, 'sub', 'data'), Buffer.alloc(128 * 1024, 7));
    await writeFile(path.join(base, 'outside'), Buffer.alloc(1024 * 1024, 7));
    await symlink(path.join(base, 'outside'), path.join(vol, 'link'));
    const bytes = await usedBytes(vol);
    assert.ok(bytes >= 128 * 1024 && bytes < 1024 * 1024, String(bytes));
    assert.equal(await usedBytes(path.join(base, 'missing')), 0);
  });
});
