import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLabel, checkLabelKey, checkLabelValue, checkSubdomain } from './names.js';

describe('checkSubdomain (object names)', () => {
  for (const name of ['web', 'web-1', 'a', '0', 'web.example.com', 'a'.repeat(253)]) {
    test(`${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}...(${name.length})` : name)} is valid`, () => assert.equal(checkSubdomain(name), undefined));
  }
  const bad: [string, RegExp][] = [
    ['', /^required$/],
    ['a'.repeat(254), /no more than 253 characters/],
    ['Web', /lower case alphanumeric characters, '-' or '\.'/],
    ['web_1', /invalid name "web_1"/],
    ['-web', /start and end with an alphanumeric character/],
    ['web-', /start and end with an alphanumeric character/],
    ['web..x', /invalid name/],
    ['web.-x', /invalid name/],
  ];
  for (const [name, message] of bad) {
    test(`${JSON.stringify(name.slice(0, 20))} is refused`, () => assert.match(checkSubdomain(name) ?? '', message));
  }
});

describe('checkLabel (container names, namespaces)', () => {
  for (const name of ['c', 'my-container', 'a'.repeat(63)]) {
    test(`${name.length} chars ${JSON.stringify(name.slice(0, 12))} is valid`, () => assert.equal(checkLabel(name), undefined));
  }
  const bad: [string, RegExp][] = [
    ['', /^required$/],
    ['a'.repeat(64), /no more than 63 characters/],
    ['a.b', /lower case alphanumeric characters or '-'/],
    ['A', /invalid name "A"/],
    ['-a', /start and end with an alphanumeric character/],
  ];
  for (const [name, message] of bad) {
    test(`${JSON.stringify(name.slice(0, 12))} is refused`, () => assert.match(checkLabel(name) ?? '', message));
  }
});

describe('label keys and values', () => {
  for (const key of ['app', 'App_1.x-y', 'example.com/role', 'kubernetes.io/hostname', 'a'.repeat(63), `example.com/${'n'.repeat(63)}`]) {
    test(`key of ${key.length} chars ${JSON.stringify(key.slice(0, 20))} is valid`, () => assert.equal(checkLabelKey(key), undefined));
  }
  const badKeys = ['', '-app', 'app-', 'a b', 'Example.com/role', '/role', 'example.com/', 'a/b/c'];
  for (const key of badKeys) {
    test(`key ${JSON.stringify(key)} is refused`, () => assert.match(checkLabelKey(key) ?? '', /invalid label key/));
  }
  test('the name part of a key is at most 63 characters, as in Kubernetes', () => {
    const key = 'n'.repeat(64);
    assert.match(checkLabelKey(key) ?? '', /invalid label key/, 'BUG: a label key whose name part is 64 characters is accepted (Kubernetes: "name part must be no more than 63 characters")');
    assert.match(checkLabelKey(`example.com/${key}`) ?? '', /invalid label key/, 'BUG: a prefixed label key whose name part is 64 characters is accepted');
  });
  test('the longest key Kubernetes accepts (253-character prefix, 63-character name) is valid', () => {
    const key = `${'p'.repeat(253)}/${'n'.repeat(63)}`;
    assert.equal(checkLabelKey(key), undefined, 'BUG: names.ts caps the whole key at 316 characters, one short of 253 + "/" + 63 = 317');
  });

  for (const value of ['', 'v', 'v1.2_3-x', 'A'.repeat(63)]) {
    test(`value ${JSON.stringify(value.slice(0, 12))} (${value.length}) is valid`, () => assert.equal(checkLabelValue(value), undefined));
  }
  for (const value of ['a b', '-v', 'v-', '_v', 'v/x', 'A'.repeat(64)]) {
    test(`value ${JSON.stringify(value.slice(0, 12))} (${value.length}) is refused`, () => {
      assert.match(checkLabelValue(value) ?? '', /invalid label value .*at most 63 characters, alphanumeric, '-', '_' or '\.'/);
    });
  }
});
