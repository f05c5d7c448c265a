import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeReference, normalizeTag, parseReference } from './reference.js';

const D = `sha256:${'ab'.repeat(32)}`;

test('references normalise the way Docker does', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox:1', 'docker.io/library/busybox:1'],
    ['user/app', 'docker.io/user/app:latest'],
    ['myreg:5000/a/b:t', 'myreg:5000/a/b:t'],
    ['localhost/app', 'localhost/app:latest'],
    ['ghcr.io/org/app', 'ghcr.io/org/app:latest'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`],
    [`busybox:1@${D}`, `docker.io/library/busybox:1@${D}`],
    ['my-app_x.y__z', 'docker.io/library/my-app_x.y__z:latest'],
  ];
  for (const [input, want] of cases) assert.equal(normalizeReference(input), want, input);
  assert.deepEqual(parseReference('myreg:5000/a/b:t'), { domain: 'myreg:5000', path: 'a/b', tag: 't' });
});

test('malformed references are rejected with the reason', () => {
  assert.throws(() => normalizeReference('Busybox'), /must be lowercase/);
  assert.throws(() => normalizeReference(''), /empty/);
  assert.throws(() => normalizeReference('busybox@sha256:123'), /digest must be/);
  assert.throws(() => normalizeReference('busybox:bad tag'), /tag "bad tag"/);
  assert.throws(() => normalizeReference('a//b'), /not a valid repository name component/);
  assert.throws(() => normalizeReference('ab'.repeat(32)), /cannot be 64 hex digits/);
  assert.throws(() => normalizeTag(`busybox@${D}`), /by a tag only/);
});
