import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiResourceList } from './discovery.js';
import { kindModules } from './index.js';

test('apps/v1: each kind with kubectl\'s names, scope and verbs, and its status and scale subresources', () => {
  const list = apiResourceList('apps/v1');
  assert.equal(list?.kind, 'APIResourceList');
  assert.equal(list?.groupVersion, 'apps/v1');
  const deploy = list?.resources.find((r) => r.name === 'deployments');
  assert.deepEqual(deploy, {
    name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['deploy'],
  });
  assert.deepEqual(list?.resources.find((r) => r.name === 'deployments/scale'), {
    name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'],
  });
  assert.deepEqual(list?.resources.map((r) => r.name), ['deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale',
    'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status', 'controllerrevisions']);
});

test('the core group: cluster-scoped nodes, pods with their subresources, a kind without short names', () => {
  const list = apiResourceList('v1');
  const names = list?.resources.map((r) => r.name) ?? [];
  for (const n of ['pods', 'pods/status', 'pods/binding', 'pods/log', 'pods/exec', 'nodes', 'events', 'configmaps', 'secrets']) assert.ok(names.includes(n), n);
  assert.equal(list?.resources.find((r) => r.name === 'nodes')?.namespaced, false);
  assert.equal(list?.resources.find((r) => r.name === 'pods')?.shortNames?.[0], 'po');
  assert.equal(list?.resources.find((r) => r.name === 'secrets')?.shortNames, undefined);
  assert.equal(list?.resources.some((r) => r.name === 'events/status'), false, 'events have no status subresource');
});

test('every kind is listed under its own group/version and nowhere else; an unserved one has no list', () => {
  for (const k of kindModules) {
    const here = apiResourceList(k.apiVersion)?.resources.filter((r) => r.name === k.resource) ?? [];
    assert.equal(here.length, 1, k.resource);
  }
  assert.equal(apiResourceList('example.com/v1'), undefined);
  assert.equal(apiResourceList('apps/v2'), undefined);
});
