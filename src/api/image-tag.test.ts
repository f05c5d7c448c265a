import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageTagProblem, invalidTagMessage } from './image-tag.js';

test('names docker build accepts as -t pass', () => {
  for (const ok of ['app', 'app:1', 'team/app:v1.2-rc_3', 'localhost:5000/team/app:1', '127.0.0.1:6443/team/app:1', 'ghcr.io/org/a__b/c-d:latest', 'Registry.Example/app', '[::1]:5000/app:1']) {
    assert.equal(imageTagProblem(ok), undefined, ok);
  }
});

test('bad names get Docker\'s messages', () => {
  assert.equal(imageTagProblem('BAD TAG'), 'invalid reference format: repository name (library/BAD TAG) must be lowercase');
  assert.equal(imageTagProblem('bad tag'), 'invalid reference format');
  assert.equal(imageTagProblem('App:1'), 'invalid reference format: repository name (library/App) must be lowercase');
  assert.equal(imageTagProblem('team/App'), 'invalid reference format: repository name (team/App) must be lowercase');
  assert.equal(imageTagProblem('app:'), 'invalid reference format');
  assert.equal(imageTagProblem('app:-x'), 'invalid reference format');
  assert.equal(imageTagProblem(''), 'invalid reference format');
  assert.equal(imageTagProblem('a'.repeat(64)), `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`);
  assert.equal(imageTagProblem(`app@sha256:${'0'.repeat(64)}`), 'build tag cannot contain a digest');
  assert.equal(imageTagProblem(`app:${'x'.repeat(129)}`), 'invalid reference format');
  assert.equal(invalidTagMessage('BAD TAG', 'invalid reference format'), 'invalid tag "BAD TAG": invalid reference format');
});
