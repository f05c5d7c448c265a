import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelSelector, NodeSelectorRequirement } from '../../api/schema/pod.js';
import { requirementMatches, selectorIsEmpty, selectorMatches } from './labels.js';

const labels = { app: 'web', tier: 'front', cores: '16', big: '9007199254740993' };

describe('requirementMatches', () => {
  const cases: [string, NodeSelectorRequirement, boolean][] = [
    ['In with the value', { key: 'app', operator: 'In', values: ['db', 'web'] }, true],
    ['In without the key', { key: 'zone', operator: 'In', values: ['a'] }, false],
    ['NotIn with another value', { key: 'app', operator: 'NotIn', values: ['db'] }, true],
    ['NotIn with the value', { key: 'app', operator: 'NotIn', values: ['web'] }, false],
    ['NotIn without the key', { key: 'zone', operator: 'NotIn', values: ['a'] }, true],
    ['Exists', { key: 'tier', operator: 'Exists' }, true],
    ['DoesNotExist', { key: 'tier', operator: 'DoesNotExist' }, false],
    ['Gt', { key: 'cores', operator: 'Gt', values: ['8'] }, true],
    ['Gt is strict', { key: 'cores', operator: 'Gt', values: ['16'] }, false],
    ['Lt', { key: 'cores', operator: 'Lt', values: ['100'] }, true],
    ['Gt with a non-integer label', { key: 'app', operator: 'Gt', values: ['1'] }, false],
    ['Gt without the key', { key: 'zone', operator: 'Gt', values: ['1'] }, false],
    ['Gt with two values matches nothing', { key: 'cores', operator: 'Gt', values: ['1', '2'] }, false],
    ['Gt beyond 2^53 compares exactly', { key: 'big', operator: 'Gt', values: ['9007199254740992'] }, true],
  ];
  for (const [what, r, want] of cases) test(what, () => assert.equal(requirementMatches(r, labels), want));
});

describe('selectorMatches', () => {
  const cases: [string, LabelSelector | undefined, boolean][] = [
    ['an absent selector selects nothing', undefined, false],
    ['an empty selector selects everything', {}, true],
    ['matchLabels', { matchLabels: { app: 'web' } }, true],
    ['matchLabels with another value', { matchLabels: { app: 'db' } }, false],
    ['matchLabels and matchExpressions are ANDed', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
    ['both holding', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
  ];
  for (const [what, sel, want] of cases) test(what, () => assert.equal(selectorMatches(sel, labels), want));

  test('selectorIsEmpty: only a present selector without requirements', () => {
    assert.equal(selectorIsEmpty({}), true);
    assert.equal(selectorIsEmpty({ matchLabels: {} }), true);
    assert.equal(selectorIsEmpty(undefined), false);
    assert.equal(selectorIsEmpty({ matchLabels: { a: 'b' } }), false);
  });
});
