import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace } from '../../api/schema/namespace.js';
import { namespaceStep, withoutFinalizer } from './plan.js';

const ns = (deleted: boolean, phase: 'Active' | 'Terminating', finalizers = ['kubernetes']): Namespace => ({
  apiVersion: 'v1', kind: 'Namespace',
  metadata: { name: 'team', ...(deleted ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { finalizers }, status: { phase },
});

test('a live namespace is left alone; a deleted one is marked, emptied, then finalized', () => {
  assert.equal(namespaceStep(ns(false, 'Active'), undefined), 'none');
  assert.equal(namespaceStep(ns(true, 'Active'), undefined), 'mark-terminating');
  assert.equal(namespaceStep(ns(true, 'Terminating'), 3), 'empty');
  assert.equal(namespaceStep(ns(true, 'Terminating'), 0), 'finalize');
  assert.equal(namespaceStep(ns(true, 'Terminating', []), 0), 'none', 'already finalized: the API removes it');
});

test('finalizing removes only the controller\'s own finalizer', () => {
  assert.deepEqual(withoutFinalizer(ns(true, 'Terminating', ['kubernetes', 'example.com/other'])).spec?.finalizers, ['example.com/other']);
});
