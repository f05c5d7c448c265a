import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Volume, VolumeMount } from '../../api/pod.js';
import { addMounts, dockerMount } from './mount-flag.js';

test('--mount types become pod volumes as Docker means them', () => {
  const vols: Volume[] = [];
  const mounts: VolumeMount[] = [];
  addMounts([
    'type=volume,source=pgdata,target=/var/lib/pg',
    'type=bind,src=/srv/conf,dst=/etc/app,readonly',
    'type=tmpfs,target=/run/cache,tmpfs-size=64m',
    'target=/scratch',
  ], '/work', vols, mounts);
  assert.deepEqual(vols, [
    { name: 'vol-pgdata', persistentVolumeClaim: { claimName: 'pgdata' } },
    { name: 'mount-1', hostPath: { path: '/srv/conf' } },
    { name: 'mount-2', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    { name: 'mount-3', emptyDir: {} },
  ]);
  assert.deepEqual(mounts, [
    { name: 'vol-pgdata', mountPath: '/var/lib/pg' },
    { name: 'mount-1', mountPath: '/etc/app', readOnly: true },
    { name: 'mount-2', mountPath: '/run/cache' },
    { name: 'mount-3', mountPath: '/scratch' },
  ]);
});

test('bad --mount values are refused naming the key', () => {
  assert.throws(() => dockerMount('type=nfs,target=/x', '/'), /type=nfs: expected volume, bind or tmpfs/);
  assert.throws(() => dockerMount('type=volume,source=v', '/'), /target= must be an absolute container path/);
  assert.throws(() => dockerMount('type=bind,target=/x', '/'), /type=bind needs source=/);
  assert.throws(() => dockerMount('type=tmpfs,source=x,target=/x', '/'), /a tmpfs mount takes no source/);
  assert.throws(() => dockerMount('type=volume,source=v,target=/x,colour=red', '/'), /unknown key "colour"/);
  assert.throws(() => dockerMount('type=volume,source=a b,target=/x', '/'), /is not a volume name/);
  assert.throws(() => dockerMount('type=tmpfs,target=/x,tmpfs-size=big', '/'), /tmpfs-size=big/);
});
