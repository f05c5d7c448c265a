import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterImagePolicy } from '../../api/schema/cluster-image-policy.js';
import { clusterImagePolicyModule } from '../../api/kinds/modules/policy.js';
import { kindTable } from './kind-table.js';

test('get clusterimagepolicies prints NAME MODE IMAGES AGE, and each authority\'s kind with -o wide', async () => {
  const now = Date.parse('2026-01-01T01:00:00Z');
  const p: ClusterImagePolicy = {
    apiVersion: 'policy.lantern.dev/v1alpha1', kind: 'ClusterImagePolicy', metadata: { name: 'team', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { images: [{ glob: 'reg.example/team/**' }, { glob: 'reg.example/base:*' }], authorities: [{ name: 'ci', key: { data: 'PEM' } }, { keyless: { identities: [{ issuer: 'i', subject: 's' }], trustedRoot: { data: '{}' } } }] },
  };
  const def = await clusterImagePolicyModule.table!();
  const narrow = kindTable(def as never, [p], { wide: false, namespaces: false, labels: true }, now);
  assert.deepEqual(narrow, { header: ['NAME', 'MODE', 'IMAGES', 'AGE'], rows: [['team', 'enforce', 'reg.example/team/**,reg.example/base:*', '60m']] });
  const wide = kindTable(def as never, [{ ...p, spec: { ...p.spec, mode: 'warn' } }], { wide: true, namespaces: false, labels: false }, now);
  assert.deepEqual(wide.rows[0], ['team', 'warn', 'reg.example/team/**,reg.example/base:*', '60m', 'ci(key),authority-1(keyless)']);
});
