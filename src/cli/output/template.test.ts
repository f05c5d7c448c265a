import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate } from './template.js';

test('--format templates: fields, nested paths, json, tabs', () => {
  const obj = { ID: 'abc', Names: 'web', status: { podIP: '10.0.0.5' } };
  assert.equal(renderTemplate('{{.ID}}\\t{{.Names}}', obj), 'abc\tweb');
  assert.equal(renderTemplate('{{.Status.PodIP}}', obj), '10.0.0.5');
  assert.equal(renderTemplate('{{json .status}}', obj), '{"podIP":"10.0.0.5"}');
  assert.equal(renderTemplate('{{.Missing}}', obj), '<no value>');
});
