import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './errors.js';
import {
  matchesFields, matchesLabelSelector, matchesRequirements, parseFieldSelector, parseLabelSelector, type Requirement,
} from './selectors.js';

describe('parseLabelSelector', () => {
  const cases: [string, Requirement[]][] = [
    ['app=web', [{ key: 'app', operator: 'In', values: ['web'] }]],
    ['app==web', [{ key: 'app', operator: 'In', values: ['web'] }]],
    ['app = web', [{ key: 'app', operator: 'In', values: ['web'] }]],
    ['tier!=db', [{ key: 'tier', operator: 'NotIn', values: ['db'] }]],
    ['env in (a, b)', [{ key: 'env', operator: 'In', values: ['a', 'b'] }]],
    ['env notin (a,b)', [{ key: 'env', operator: 'NotIn', values: ['a', 'b'] }]],
    ['legacy', [{ key: 'legacy', operator: 'Exists', values: [] }]],
    ['!legacy', [{ key: 'legacy', operator: 'DoesNotExist', values: [] }]],
    ['example.com/role=edge', [{ key: 'example.com/role', operator: 'In', values: ['edge'] }]],
    ['', []],
    [' , ', []],
    ['app=web,env in (a,b),!legacy,tier!=db', [
      { key: 'app', operator: 'In', values: ['web'] },
      { key: 'env', operator: 'In', values: ['a', 'b'] },
      { key: 'legacy', operator: 'DoesNotExist', values: [] },
      { key: 'tier', operator: 'NotIn', values: ['db'] },
    ]],
  ];
  for (const [text, want] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(parseLabelSelector(text), want));
  }

  const invalid = ['a=b=c', 'env in a,b', 'env in (a,b', 'a b', '!a=b', 'a!!=b', '=b'];
  for (const text of invalid) {
    test(`${JSON.stringify(text)} is a BadRequest that shows the accepted forms`, () => {
      assert.throws(() => parseLabelSelector(text), (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.code, 'BadRequest');
        assert.equal(e.status, 400);
        assert.match(e.message, /invalid selector term/);
        assert.match(e.message, /key in \(a,b\)/);
        return true;
      });
    });
  }
});

describe('label selector matching', () => {
  const labels = { app: 'web', env: 'prod', tier: 'front' };
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['app=web', labels, true],
    ['app=db', labels, false],
    ['app==web', labels, true],
    ['app!=db', labels, true],
    ['app!=web', labels, false],
    ['missing!=x', labels, true], // != matches objects without the key, as in Kubernetes
    ['env in (dev,prod)', labels, true],
    ['env in (dev,test)', labels, false],
    ['missing in (a)', labels, false],
    ['env notin (dev,test)', labels, true],
    ['env notin (prod)', labels, false],
    ['missing notin (a)', labels, true],
    ['tier', labels, true],
    ['missing', labels, false],
    ['!missing', labels, true],
    ['!tier', labels, false],
    ['app=web,env in (prod),!legacy', labels, true],
    ['app=web,env=dev', labels, false],
    ['app=web', undefined, false],
    ['!app', undefined, true],
    ['', undefined, true],
  ];
  for (const [selector, l, want] of cases) {
    test(`${JSON.stringify(selector)} on ${JSON.stringify(l)} -> ${want}`, () => {
      assert.equal(matchesLabelSelector(selector, l), want);
      assert.equal(matchesRequirements(parseLabelSelector(selector), l), want);
    });
  }

  test('no selector selects everything', () => {
    assert.equal(matchesLabelSelector(undefined, undefined), true);
    assert.equal(matchesLabelSelector('', { a: 'b' }), true);
  });

  test('a key inherited from Object.prototype is not a label', () => {
    assert.equal(matchesLabelSelector('constructor', {}), false);
    assert.equal(matchesLabelSelector('!toString', {}), true);
  });
});

describe('field selectors', () => {
  test('parse =, == and != terms, trimming spaces', () => {
    assert.deepEqual(parseFieldSelector('spec.nodeName=n1, status.phase != Running,metadata.name==p'), [
      { field: 'spec.nodeName', value: 'n1', negate: false },
      { field: 'status.phase', value: 'Running', negate: true },
      { field: 'metadata.name', value: 'p', negate: false },
    ]);
    assert.deepEqual(parseFieldSelector(''), []);
    assert.deepEqual(parseFieldSelector('spec.nodeName='), [{ field: 'spec.nodeName', value: '', negate: false }]);
  });

  for (const text of ['spec.nodeName', 'spec nodeName=x', '=x', 'a<b']) {
    test(`${JSON.stringify(text)} is a BadRequest`, () => {
      assert.throws(() => parseFieldSelector(text), (e: unknown) => e instanceof ApiError && e.code === 'BadRequest' && /invalid field selector/.test(e.message));
    });
  }

  test('match against the fields a kind exposes; a missing field reads as empty', () => {
    const fields = { 'spec.nodeName': 'n1', 'status.phase': 'Running' };
    const cases: [string, boolean][] = [
      ['spec.nodeName=n1', true],
      ['spec.nodeName=n2', false],
      ['spec.nodeName!=n2', true],
      ['spec.nodeName=n1,status.phase!=Running', false],
      ['spec.other=', true],
      ['spec.other!=', false],
    ];
    for (const [text, want] of cases) assert.equal(matchesFields(parseFieldSelector(text), fields), want, text);
  });
});
