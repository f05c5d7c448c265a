import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoute } from './route.js';
import { resourcePath } from '../../client/paths.js';

test('apps/v1 paths route to deployments and replicasets, and the client builds the same paths', () => {
  assert.deepEqual(parseRoute('/apis/apps/v1/namespaces/default/deployments'), { type: 'resource', resource: 'deployments', namespace: 'default', name: undefined, sub: undefined });
  assert.deepEqual(parseRoute('/apis/apps/v1/namespaces/ns1/deployments/web/scale'), { type: 'resource', resource: 'deployments', namespace: 'ns1', name: 'web', sub: 'scale' });
  assert.deepEqual(parseRoute('/apis/apps/v1/replicasets'), { type: 'resource', resource: 'replicasets', name: undefined, sub: undefined });
  assert.equal(resourcePath('deployments', 'default', 'web', 'scale'), '/apis/apps/v1/namespaces/default/deployments/web/scale');
  assert.equal(resourcePath('replicasets'), '/apis/apps/v1/replicasets');
  assert.equal(resourcePath('pods', 'default'), '/api/v1/namespaces/default/pods');
});

test('an API group Lantern does not serve is NotFound', () => {
  assert.throws(() => parseRoute('/apis/example.com/v1/namespaces/default/widgets'), /no API route/);
});
