import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageRemoval } from '../../api/node-services.js';
import { removalLines } from './rmi.js';

const item = (over: Partial<ImageRemoval>): ImageRemoval => ({ node: 'n1', names: [], id: 'sha256:aaa', digest: 'sha256:ddd', sizeBytes: 1, architecture: 'amd64', os: 'linux', ...over });

test('an image still held by another tag prints only Untagged', () => {
  assert.deepEqual(removalLines('app:2', [item({ names: ['docker.io/library/app:1'], untagged: ['app:2'], deleted: [] })]), ['Untagged: app:2']);
});

test('the last tag prints every Untagged line, then Deleted lines, each once over several nodes', () => {
  const gone = { untagged: ['busybox:latest', 'busybox@sha256:ddd'], deleted: ['sha256:aaa', 'sha256:layer'] };
  assert.deepEqual(removalLines('busybox', [item({ ...gone }), item({ node: 'n2', ...gone })]), [
    'Untagged: busybox:latest', 'Untagged: busybox@sha256:ddd', 'Deleted: sha256:aaa', 'Deleted: sha256:layer',
  ]);
});

test('a node that does not report says Deleted only when the image has no name left', () => {
  assert.deepEqual(removalLines('app:2', [item({ names: ['docker.io/library/app:1'] })]), ['Untagged: app:2']);
  assert.deepEqual(removalLines('app:1', [item({})]), ['Untagged: app:1', 'Deleted: sha256:aaa']);
  assert.deepEqual(removalLines('aaa', [item({})]), ['Deleted: sha256:aaa']);
});
