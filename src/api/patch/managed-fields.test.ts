import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conflictMessage, entriesOf, recordUpdate, serverSideApply } from './managed-fields.js';
import { fieldsOf, fromFieldsV1, toFieldsV1 } from './field-set.js';
import type { JsonObject } from './json-value.js';

const now = '2026-01-01T00:00:00Z';
const deploy = (replicas: number, image = 'nginx', extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas, template: { spec: { containers: [{ name: 'app', image, ...extra }] } } },
});

test('FieldsV1 round trip: list items are k:{...} with ".", leaves are {}', () => {
  const set = fieldsOf(deploy(2));
  const v1 = toFieldsV1(set);
  assert.deepEqual(v1, {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
  });
  assert.deepEqual([...fromFieldsV1(v1)].sort(), [...set].sort());
});

test('create-on-apply owns every applied field as operation Apply', () => {
  const out = serverSideApply(undefined, deploy(2), 'kubectl', 'apps/v1', false, now);
  assert.ok(out.object);
  const [e] = entriesOf(out.object);
  assert.equal(e?.manager, 'kubectl');
  assert.equal(e?.operation, 'Apply');
  assert.equal(e?.fieldsType, 'FieldsV1');
});

test('a field another manager changed is a conflict naming it; force takes it over', () => {
  const created = serverSideApply(undefined, deploy(2), 'kubectl', 'apps/v1', false, now).object!;
  const scaled = structuredClone(created);
  (scaled.spec as JsonObject).replicas = 5;
  const updated = recordUpdate(created, scaled, 'kubectl-scale', 'apps/v1', now);
  assert.deepEqual(entriesOf(updated).map((e) => `${e.manager}/${e.operation}`), ['kubectl/Apply', 'kubectl-scale/Update']);
  const again = serverSideApply(updated, deploy(2), 'kubectl', 'apps/v1', false, now);
  assert.deepEqual(again.conflicts, [{ manager: 'kubectl-scale', apiVersion: 'apps/v1', field: '.spec.replicas' }]);
  assert.equal(conflictMessage(again.conflicts!), 'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas');
  // The same value is shared, not a conflict.
  assert.ok(serverSideApply(updated, deploy(5), 'kubectl', 'apps/v1', false, now).object);
  const forced = serverSideApply(updated, deploy(2), 'kubectl', 'apps/v1', true, now).object!;
  assert.equal((forced.spec as JsonObject).replicas, 2);
  // kubectl-scale owned only replicas: its entry goes.
  assert.deepEqual(entriesOf(forced).map((e) => e.manager), ['kubectl']);
});

test('a field the manager stops applying is removed, unless another manager owns it', () => {
  const first = serverSideApply(undefined, deploy(2, 'nginx', { workingDir: '/w', args: ['a'] }), 'kubectl', 'apps/v1', false, now).object!;
  const second = serverSideApply(first, deploy(2), 'kubectl', 'apps/v1', false, now).object!;
  const c = ((((second.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[])[0]!;
  assert.equal(c.workingDir, undefined);
  assert.equal(c.args, undefined);
  assert.equal(c.image, 'nginx');
  // Another manager's label survives this manager's apply that never named it.
  const labelled = recordUpdate(second, { ...second, metadata: { ...(second.metadata as JsonObject), labels: { app: 'web', team: 'a' } } }, 'kubectl-label', 'apps/v1', now);
  const third = serverSideApply(labelled, deploy(2), 'kubectl', 'apps/v1', false, now).object!;
  assert.deepEqual((third.metadata as JsonObject).labels, { app: 'web', team: 'a' });
});

test('an update that leaves managedFields out keeps them; one that changes nothing adds no entry', () => {
  const created = serverSideApply(undefined, deploy(2), 'kubectl', 'apps/v1', false, now).object!;
  const bare = structuredClone(created);
  delete (bare.metadata as JsonObject).managedFields;
  const out = recordUpdate(created, bare, 'lcctl', 'apps/v1', now);
  assert.deepEqual(entriesOf(out).map((e) => e.manager), ['kubectl']);
});
