import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { SchemaValidator, fieldPath } from './validate.js';

describe('fieldPath', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['/metadata/name', 'metadata.name'],
    ['/spec/containers/0/image', 'spec.containers[0].image'],
    ['/spec/containers/12/ports/3/containerPort', 'spec.containers[12].ports[3].containerPort'],
    ['/metadata/labels/example.com~1role', 'metadata.labels.example.com/role'],
    ['/metadata/annotations/a~0b', 'metadata.annotations.a~b'],
    ['/0/name', '[0].name'],
  ];
  for (const [pointer, want] of cases) test(`${JSON.stringify(pointer)} -> ${JSON.stringify(want)}`, () => assert.equal(fieldPath(pointer), want));
});

describe('SchemaValidator causes', () => {
  const schema = Type.Object({
    name: Type.String({ minLength: 1 }),
    policy: Type.Optional(Type.Union([Type.Literal('Always'), Type.Literal('OnFailure'), Type.Literal('Never')])),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    grace: Type.Optional(Type.Integer({ minimum: 0 })),
    weight: Type.Optional(Type.Integer({ maximum: 100 })),
    items: Type.Optional(Type.Array(Type.Object({ id: Type.String() }, { additionalProperties: false }), { minItems: 1 })),
    enabled: Type.Optional(Type.Boolean()),
    quantity: Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'a quantity such as 500m' })),
  }, { additionalProperties: false });
  const v = new SchemaValidator(schema);

  test('a valid value has no causes', () => {
    assert.deepEqual(v.causes({ name: 'x', policy: 'Never', port: 80, grace: 0, items: [{ id: 'a' }], quantity: 2 }), []);
  });

  const cases: [string, unknown, { field: string; message: string }][] = [
    ['a missing required field', {}, { field: 'name', message: 'required' }],
    ['an unknown field', { name: 'x', nmae: 'y' }, { field: 'nmae', message: 'unknown field' }],
    ['an unknown field in a list item', { name: 'x', items: [{ id: 'a', idd: 'b' }] }, { field: 'items[0].idd', message: 'unknown field' }],
    ['a value outside an enum lists the allowed values', { name: 'x', policy: 'Sometimes' },
      { field: 'policy', message: 'expected one of "Always", "OnFailure", "Never", got "Sometimes"' }],
    ['an integer above a range', { name: 'x', port: 70000 }, { field: 'port', message: 'must be between 1 and 65535, got 70000' }],
    ['an integer below a range', { name: 'x', port: 0 }, { field: 'port', message: 'must be between 1 and 65535, got 0' }],
    ['an integer below a minimum', { name: 'x', grace: -1 }, { field: 'grace', message: 'must be at least 0, got -1' }],
    ['an integer above a maximum', { name: 'x', weight: 101 }, { field: 'weight', message: 'must be at most 100, got 101' }],
    ['a fraction where an integer belongs', { name: 'x', port: 80.5 }, { field: 'port', message: 'expected an integer, got 80.5' }],
    ['a number where a string belongs', { name: 5 }, { field: 'name', message: 'expected a string, got number 5' }],
    ['an empty string where one is required', { name: '' }, { field: 'name', message: 'must not be empty' }],
    ['an empty list where an item is required', { name: 'x', items: [] }, { field: 'items', message: 'must have at least one item' }],
    ['an object where a list belongs', { name: 'x', items: {} }, { field: 'items', message: 'expected a list, got an object' }],
    ['a string where a boolean belongs', { name: 'x', enabled: 'yes' }, { field: 'enabled', message: 'expected true or false, got "yes"' }],
    ['a union without constants uses its description', { name: 'x', quantity: true }, { field: 'quantity', message: 'expected a quantity such as 500m' }],
  ];
  for (const [what, value, first] of cases) {
    test(what, () => assert.deepEqual(v.causes(value)[0], first));
  }

  test('a non-object is reported at the root', () => {
    assert.deepEqual(v.causes('text')[0], { field: '', message: 'expected an object, got string "text"' });
    assert.deepEqual(v.causes(null)[0], { field: '', message: 'expected an object, got null' });
  });

  test('one cause per field, several fields reported together', () => {
    const causes = v.causes({ policy: 'x', port: 'y' });
    assert.deepEqual(causes.map((c) => c.field).sort(), ['name', 'policy', 'port']);
    assert.equal(new Set(causes.map((c) => c.field)).size, causes.length);
  });

  test('at most 20 causes', () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`extra${i}`, i]));
    assert.equal(v.causes({ name: 'x', ...many }).length, 20);
  });
});
