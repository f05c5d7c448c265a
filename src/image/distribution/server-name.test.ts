import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverRegistryName, serverRegistryReference } from './server-name.js';
import { parseReference } from '../reference.js';

test('Docker Hub images keep their Docker Hub path in the server registry', () => {
  assert.deepEqual(serverRegistryName('busybox'), { repository: 'library/busybox', reference: 'latest' });
  assert.deepEqual(serverRegistryName('docker.io/library/busybox:1.36'), { repository: 'library/busybox', reference: '1.36' });
  assert.deepEqual(serverRegistryName('team/app:v2'), { repository: 'team/app', reference: 'v2' });
});

test('other registries become the first path component, ":" turned into "-"', () => {
  assert.deepEqual(serverRegistryName('localhost:5000/team/app:1'), { repository: 'localhost-5000/team/app', reference: '1' });
  assert.deepEqual(serverRegistryName('ghcr.io/org/tool:v1'), { repository: 'ghcr.io/org/tool', reference: 'v1' });
  assert.deepEqual(serverRegistryName('10.0.0.7:6443/library/busybox:latest'), { repository: '10.0.0.7-6443/library/busybox', reference: 'latest' });
  // Docker Hub and another host with the same path never share a repository.
  assert.notEqual(serverRegistryName('quay.io/library/busybox').repository, serverRegistryName('busybox').repository);
});

test('a digest reference is looked up by digest', () => {
  const d = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(serverRegistryName(`busybox@${d}`), { repository: 'library/busybox', reference: d });
  assert.equal(serverRegistryReference('10.0.0.1:6443', `busybox@${d}`), `10.0.0.1:6443/library/busybox@${d}`);
});

test('the reference on the server parses back to the server host and the mapped repository', () => {
  const r = parseReference(serverRegistryReference('127.0.0.1:6443', 'localhost:5000/team/app:1'));
  assert.deepEqual(r, { domain: '127.0.0.1:6443', path: 'localhost-5000/team/app', tag: '1' });
});
