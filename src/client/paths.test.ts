import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../api/kinds/index.js';
import { resourcePath } from './paths.js';

test('every kind\'s paths use its own API group and version (the server serves it nowhere else)', () => {
  for (const kind of kinds.values()) {
    const base = kind.apiVersion.includes('/') ? `/apis/${kind.apiVersion}` : `/api/${kind.apiVersion}`;
    const ns = kind.namespaced ? '/namespaces/team' : '';
    assert.equal(resourcePath(kind.resource, 'team'), `${base}${ns}/${kind.resource}`);
    assert.equal(resourcePath(kind.resource, 'team', 'x', 'status'), `${base}${ns}/${kind.resource}/x/status`);
  }
  assert.equal(resourcePath('priorityclasses', undefined, 'high'), '/apis/scheduling.k8s.io/v1/priorityclasses/high');
});
