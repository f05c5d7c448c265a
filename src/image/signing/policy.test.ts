import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { ClusterImagePolicy } from '../../api/schema/cluster-image-policy.js';
import { policiesFor, policyKeys } from './policy.js';
import { publicKeyPem } from './keys.js';

const pem = publicKeyPem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
const policy = (name: string, ...globs: string[]): ClusterImagePolicy => ({
  apiVersion: 'policy.lantern.dev/v1alpha1', kind: 'ClusterImagePolicy', metadata: { name },
  spec: { images: globs.map((glob) => ({ glob })), authorities: [{ key: { data: pem } }] },
});

test('* stays within a path component, ** crosses them (policy-controller globs)', () => {
  const ps = [policy('team', '127.0.0.1:6443/team/*'), policy('all', 'registry.example/**')];
  assert.deepEqual(policiesFor(ps, '127.0.0.1:6443/team/app:1').map((p) => p.metadata.name), ['team']);
  assert.deepEqual(policiesFor(ps, '127.0.0.1:6443/team/sub/app:1').map((p) => p.metadata.name), []);
  assert.deepEqual(policiesFor(ps, 'registry.example/a/b/c@sha256:' + 'a'.repeat(64)).map((p) => p.metadata.name), ['all']);
});

test('Docker Hub short names match their normalised forms', () => {
  const ps = [policy('hub', 'index.docker.io/library/*'), policy('hub2', 'docker.io/library/busybox:*')];
  // A reference without a tag is :latest, as Docker reads it.
  assert.deepEqual(policiesFor(ps, 'busybox').map((p) => p.metadata.name), ['hub', 'hub2']);
  assert.deepEqual(policiesFor(ps, 'busybox:1.36').map((p) => p.metadata.name), ['hub', 'hub2']);
  assert.deepEqual(policiesFor(ps, 'alpine').map((p) => p.metadata.name), ['hub']);
  assert.deepEqual(policiesFor(ps, 'quay.io/library/busybox').length, 0);
});

test('a policy key that does not load is an error naming the policy and authority', () => {
  const bad = policy('broken', '**');
  bad.spec.authorities[0]!.key!.data = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
  assert.throws(() => policyKeys(bad), /ClusterImagePolicy "broken" spec\.authorities\[0\]/);
  assert.equal(policyKeys(policy('ok', '**'))[0]!.name, 'ok/authority-0');
});
