import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyLabels, parseLabelSpecs } from './label-spec.js';
import { UsageError } from '../errors.js';

test('label specs: k=v sets, k- removes, empty values are allowed', () => {
  assert.deepEqual(parseLabelSpecs(['zone=north', 'example.com/tier=', 'old-']), { set: { zone: 'north', 'example.com/tier': '' }, remove: ['old'] });
});

test('bad label specs are refused and name the spec', () => {
  assert.throws(() => parseLabelSpecs(['zone']), (e: unknown) => e instanceof UsageError && /invalid label spec: zone/.test(e.message));
  assert.throws(() => parseLabelSpecs(['zone=a b']), /invalid label spec: zone=a b, invalid label value/);
  assert.throws(() => parseLabelSpecs(['-x=1']), /invalid label key/);
  assert.throws(() => parseLabelSpecs(['a=1', 'a-']), /can not both modify and remove/);
  assert.throws(() => parseLabelSpecs([]), /at least one label update is required/);
});

test('changing an existing value needs --overwrite, as kubectl', () => {
  const current = { zone: 'north', keep: 'x' };
  assert.throws(() => applyLabels(current, parseLabelSpecs(['zone=south']), false), /'zone' already has a value \(north\), and --overwrite is false/);
  assert.deepEqual(applyLabels(current, parseLabelSpecs(['zone=south']), true).labels, { zone: 'south', keep: 'x' });
  assert.deepEqual(applyLabels(current, parseLabelSpecs(['zone=north', 'new=1']), false).labels, { zone: 'north', keep: 'x', new: '1' });
  const removed = applyLabels(current, parseLabelSpecs(['zone-', 'missing-']), false);
  assert.deepEqual(removed.labels, { keep: 'x' });
  assert.deepEqual(removed.warnings, ['label "missing" not found.']);
});
