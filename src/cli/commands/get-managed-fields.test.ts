import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/meta.js';
import { withoutManagedFields } from './get.js';

test('lcctl get -o json|yaml hides metadata.managedFields as kubectl does, and keeps everything else', () => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' }, managedFields: [{ manager: 'kubectl', operation: 'Apply' }] }, data: { k: 'v' } } as unknown as ApiObject;
  const shown = withoutManagedFields(obj) as unknown as { metadata: Record<string, unknown>; data: unknown };
  assert.equal('managedFields' in shown.metadata, false);
  assert.deepEqual(shown.metadata, { name: 'c', labels: { a: 'b' } });
  assert.deepEqual(shown.data, { k: 'v' });
  assert.ok('managedFields' in (obj.metadata as Record<string, unknown>), 'the object itself is not changed');
});
