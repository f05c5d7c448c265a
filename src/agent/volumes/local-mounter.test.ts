import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Pod } from '../../api/pod.js';
import { LocalMounter } from './local-mounter.js';
import type { VolumeToMount } from './types.js';

const dirs: string[] = [];
after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });
const tmp = async (): Promise<string> => { const d = await mkdtemp(path.join(os.tmpdir(), 's1b-local-')); dirs.push(d); return d; };

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [] } };
const vol = (spec: Record<string, unknown>): VolumeToMount => ({ pvName: 'pv1', pv: { metadata: { name: 'pv1' }, spec }, claim: { namespace: 'default', name: 'c' }, readOnly: false });

describe('LocalMounter (local and hostPath PVs)', () => {
  test('handles local and hostPath sources, not nfs or csi', () => {
    const m = new LocalMounter();
    assert.equal(m.canMount(vol({ local: { path: '/x' } })), true);
    assert.equal(m.canMount(vol({ hostPath: { path: '/x' } })), true);
    assert.equal(m.canMount(vol({ nfs: { server: 's', path: '/e' } })), false);
    assert.equal(m.canMount(vol({ csi: { driver: 'd', volumeHandle: 'h' } })), false);
  });

  test('a local-path volume directory is made at first mount, writable by any container user', async () => {
    const dir = path.join(await tmp(), 'storage', 'pvc-1_default_c');
    assert.equal(await new LocalMounter().mount(vol({ local: { path: dir } }), pod), dir);
    const st = await stat(dir);
    assert.ok(st.isDirectory());
    assert.equal(st.mode & 0o777, 0o777);
  });

  test('an existing directory is used as it is: its data and its mode are kept', async () => {
    const dir = path.join(await tmp(), 'pvc-2');
    await mkdir(dir);
    await chmod(dir, 0o750);
    await writeFile(path.join(dir, 'ibdata1'), 'rows');
    assert.equal(await new LocalMounter().mount(vol({ hostPath: { path: dir } }), pod), dir);
    assert.equal((await stat(dir)).mode & 0o777, 0o750);
    assert.equal((await stat(path.join(dir, 'ibdata1'))).size, 4);
  });

  test('a relative path is refused with the volume named; unmount leaves the data', async () => {
    const m = new LocalMounter();
    await assert.rejects(m.mount(vol({ local: { path: 'relative/dir' } }), pod), /volume pv1: .*must be absolute/);
    const dir = path.join(await tmp(), 'pvc-3');
    await m.mount(vol({ local: { path: dir } }), pod);
    await m.unmount();
    assert.ok((await stat(dir)).isDirectory());
  });
});
