import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelSelector, NodeSelectorTerm } from './schema/pod.js';
import { labelSelectorMatches, labelsMatch, nodeSelectorTermMatches, requirementIsValid, requirementMatches, selectorText } from './label-selector.js';
import { matchesLabelSelector, parseLabelSelector } from './selectors.js';

const labels = { app: 'web', tier: 'front', cores: '16', big: '9007199254740993', empty: '' };
type Expr = NonNullable<LabelSelector['matchExpressions']>[number];
const expr = (key: string, operator: Expr['operator'], values?: string[]): LabelSelector => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

describe('LabelSelector objects (metav1.LabelSelectorAsSelector)', () => {
  const cases: [string, LabelSelector | undefined, Record<string, string> | undefined, boolean][] = [
    ['absent selects nothing', undefined, labels, false],
    ['absent selects nothing, even without labels', undefined, undefined, false],
    ['empty {} selects everything', {}, labels, true],
    ['empty {} selects an object without labels', {}, undefined, true],
    ['empty matchLabels and matchExpressions select everything', { matchLabels: {}, matchExpressions: [] }, labels, true],
    ['matchLabels', { matchLabels: { app: 'web' } }, labels, true],
    ['matchLabels with another value', { matchLabels: { app: 'db' } }, labels, false],
    ['matchLabels with an empty value', { matchLabels: { empty: '' } }, labels, true],
    ['matchLabels on a missing key', { matchLabels: { zone: '' } }, labels, false],
    ['In', expr('app', 'In', ['db', 'web']), labels, true],
    ['In on a missing key', expr('zone', 'In', ['a']), labels, false],
    ['In with an empty values list is invalid: nothing', expr('app', 'In', []), labels, false],
    ['NotIn with another value', expr('app', 'NotIn', ['db']), labels, true],
    ['NotIn with the value', expr('app', 'NotIn', ['web']), labels, false],
    ['NotIn on a missing key matches', expr('zone', 'NotIn', ['a']), labels, true],
    ['NotIn with an empty values list is invalid: nothing', expr('zone', 'NotIn', []), labels, false],
    ['Exists', expr('tier', 'Exists'), labels, true],
    ['Exists on a missing key', expr('zone', 'Exists'), labels, false],
    ['Exists with values is invalid: nothing', expr('tier', 'Exists', ['front']), labels, false],
    ['DoesNotExist on a missing key', expr('zone', 'DoesNotExist'), labels, true],
    ['DoesNotExist on a present key', expr('tier', 'DoesNotExist'), labels, false],
    ['DoesNotExist with values is invalid: nothing', expr('zone', 'DoesNotExist', ['x']), labels, false],
    ['a key in matchLabels and matchExpressions must satisfy both', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] }, labels, false],
    ['a key twice, both holding', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }, { key: 'app', operator: 'Exists' }] }, labels, true],
    ['a key inherited from Object.prototype is not a label', { matchLabels: { constructor: 'x' } }, {}, false],
    ['DoesNotExist on an Object.prototype key matches', expr('toString', 'DoesNotExist'), {}, true],
  ];
  for (const [what, sel, l, want] of cases) {
    test(what, () => {
      assert.equal(labelSelectorMatches(sel, l), want);
      // The text form, where it can say the same thing, agrees (invalid objects have no text twin).
      const invalid = (sel?.matchExpressions ?? []).some((r) => !requirementIsValid(r));
      if (sel !== undefined && !invalid && !what.includes('Object.prototype')) assert.equal(matchesLabelSelector(selectorText(sel), l), want, selectorText(sel));
    });
  }

  test('Gt and Lt are not LabelSelector operators: such a selector selects nothing', () => {
    const gt = { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] } as unknown as LabelSelector;
    assert.equal(labelSelectorMatches(gt, labels), false);
  });
});

describe('the text form (?labelSelector=)', () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', labels, true], // no selector selects everything
    ['', undefined, true],
    ['app=web,app=db', labels, false], // a key twice: both must hold
    ['app=web,app in (web,db)', labels, true],
    ['zone!=a', labels, true], // != matches a missing key, as NotIn
    ['zone notin (a)', labels, true],
    ['empty in ()', labels, true], // "()" is the empty value, as Kubernetes' parser reads it
    ['app in ()', labels, false],
    ['app notin ()', labels, true],
    ['tier in (back,)', { tier: '' }, true],
  ];
  for (const [text, l, want] of cases) test(`${JSON.stringify(text)} on ${JSON.stringify(l)} -> ${want}`, () => assert.equal(matchesLabelSelector(text, l), want));

  test('"()" and a trailing comma parse to the empty value; repeats count once', () => {
    assert.deepEqual(parseLabelSelector('a in ()'), [{ key: 'a', operator: 'In', values: [''] }]);
    assert.deepEqual(parseLabelSelector('a notin (b,,b)'), [{ key: 'a', operator: 'NotIn', values: ['b', ''] }]);
  });

  test('selectorText writes what parseLabelSelector reads', () => {
    const sel: LabelSelector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }, { key: 'y', operator: 'DoesNotExist' }] };
    assert.equal(selectorText(sel), 'app=web,tier notin (a,b),x,!y');
    assert.deepEqual(parseLabelSelector(selectorText(sel)).map((r) => r.operator), ['In', 'NotIn', 'Exists', 'DoesNotExist']);
  });
});

describe('plain maps (spec.nodeSelector)', () => {
  test('absent and empty select everything; every pair must be present and equal', () => {
    assert.equal(labelsMatch(undefined, labels), true);
    assert.equal(labelsMatch({}, undefined), true);
    assert.equal(labelsMatch({ app: 'web', tier: 'front' }, labels), true);
    assert.equal(labelsMatch({ app: 'web', zone: 'a' }, labels), false);
    assert.equal(labelsMatch({ constructor: 'x' }, {}), false);
  });
});

describe('node selector terms (node affinity)', () => {
  const node = { metadata: { name: 'n1', labels } };
  const term = (key: string, operator: Expr['operator'] | 'Gt' | 'Lt', values?: string[]): NodeSelectorTerm => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
  const cases: [string, NodeSelectorTerm, boolean][] = [
    ['an empty term matches no node', {}, false],
    ['empty lists match no node', { matchExpressions: [], matchFields: [] }, false],
    ['NotIn on a missing key matches', term('zone', 'NotIn', ['a']), true],
    ['In with an empty values list is invalid: no node', term('app', 'In', []), false],
    ['NotIn with an empty values list is invalid: no node', term('zone', 'NotIn', []), false],
    ['Exists', term('tier', 'Exists'), true],
    ['DoesNotExist', term('tier', 'DoesNotExist'), false],
    ['Gt', term('cores', 'Gt', ['8']), true],
    ['Gt is strict', term('cores', 'Gt', ['16']), false],
    ['Lt', term('cores', 'Lt', ['100']), true],
    ['Lt with a signed value', term('cores', 'Lt', ['+17']), true],
    ['Gt with a non-integer label does not match', term('app', 'Gt', ['1']), false],
    ['Gt with a non-integer value is invalid: no node', term('cores', 'Gt', ['1.5']), false],
    ['Gt on a missing key', term('zone', 'Gt', ['1']), false],
    ['Gt with two values is invalid: no node', term('cores', 'Gt', ['1', '2']), false],
    ['Gt without a value is invalid: no node', term('cores', 'Gt'), false],
    ['Gt beyond 2^53 compares exactly', term('big', 'Gt', ['9007199254740992']), true],
    ['Lt with a value beyond int64 is invalid: no node', term('cores', 'Lt', ['9223372036854775808']), false],
    ['Gt on a label beyond int64 does not match', { matchExpressions: [{ key: 'huge', operator: 'Gt', values: ['0'] }] }, false],
    ['matchFields In metadata.name', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, true],
    ['matchFields NotIn metadata.name', { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }, false],
    ['matchFields with two values is invalid: no node', { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }] }, false],
    ['matchFields Exists is invalid: no node', { matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }, false],
    ['expressions and fields are ANDed', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }, false],
  ];
  for (const [what, t, want] of cases) test(what, () => assert.equal(nodeSelectorTermMatches(t, { metadata: { ...node.metadata, labels: { ...labels, huge: '99999999999999999999' } } }), want));

  test('requirementMatches alone does not judge validity (the selector does)', () => {
    assert.equal(requirementMatches({ key: 'zone', operator: 'NotIn', values: [] }, labels), true);
    assert.equal(requirementIsValid({ key: 'zone', operator: 'NotIn', values: [] }), false);
  });
});
