import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { clusterImagePolicyKind, globProblem, publicKeyProblem } from './cluster-image-policy.js';
import type { ClusterImagePolicy } from '../schema/cluster-image-policy.js';

const pubPem = (curve: string): string => createPublicKey(generateKeyPairSync('ec', { namedCurve: curve }).privateKey).export({ format: 'pem', type: 'spki' }).toString();

test('a P-256 public key passes; another curve, a private key or garbage is refused with what is expected', () => {
  assert.equal(publicKeyProblem(pubPem('prime256v1')), undefined);
  assert.match(publicKeyProblem(pubPem('secp384r1'))!, /ECDSA P-256/);
  assert.match(publicKeyProblem('ssh-ed25519 AAAA')!, /PUBLIC KEY/);
  assert.match(publicKeyProblem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')!, /not a readable public key/);
});

test('globs: image-reference characters with * and ** only', () => {
  assert.equal(globProblem('registry.example:5000/team/**'), undefined);
  assert.match(globProblem('team/app; rm -rf')!, /image-reference characters/);
  assert.match(globProblem('a/***')!, /\*\*\*/);
});

test('validate names the field of each bad glob and key; mode defaults to enforce', () => {
  const p: ClusterImagePolicy = {
    apiVersion: 'policy.lantern.dev/v1alpha1', kind: 'ClusterImagePolicy', metadata: { name: 'p' },
    spec: { images: [{ glob: 'ok/**' }, { glob: 'bad glob' }], authorities: [{ key: { data: pubPem('prime256v1') } }, { key: { data: 'nope' } }] },
  };
  const causes = clusterImagePolicyKind.validate(p);
  assert.deepEqual(causes.map((c) => c.field), ['spec.images[1].glob', 'spec.authorities[1].key.data']);
  clusterImagePolicyKind.applyDefaults(p);
  assert.equal(p.spec.mode, 'enforce');
});
