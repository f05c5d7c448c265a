import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { ApiObject } from '../../api/meta.js';
import type { ApiClient } from '../../client/types.js';
import { dropUnknownFields, fieldValidationOf, withFieldValidation } from './field-validation.js';
import { acceptKubeForms } from './kube-accepted.js';

const cm = (): ApiObject & Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' }, datta: { b: '2' } });

test('fieldValidation: Strict by default, the three Kubernetes values, anything else a 400 naming them', () => {
  assert.equal(fieldValidationOf(new URLSearchParams('')), 'Strict');
  for (const v of ['Strict', 'Warn', 'Ignore'] as const) assert.equal(fieldValidationOf(new URLSearchParams(`fieldValidation=${v}`)), v);
  assert.throws(() => fieldValidationOf(new URLSearchParams('fieldValidation=strict')), (e: unknown) => e instanceof ApiError && e.code === 'BadRequest' && /"Ignore", "Warn", "Strict"/.test(e.message));
});

test('unknown fields are dropped with their paths; known ones and wrong values stay for validation', () => {
  const out = dropUnknownFields('configmaps', cm());
  assert.deepEqual(out.unknown, ['datta']);
  assert.deepEqual(out.obj, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
  const { datta: _typo, ...known } = cm();
  const wrong = { ...known, data: 'not a map' } as unknown as ApiObject;
  assert.deepEqual(dropUnknownFields('configmaps', wrong).unknown, []);
});

test('Warn answers one Warning header per dropped field; Strict passes the object through untouched', async () => {
  const written: ApiObject[] = [];
  const unused = (): never => { throw new Error('not used'); };
  const api: ApiClient = {
    create: async <T extends ApiObject>(_r: string, o: T) => { written.push(o); return o; },
    get: unused, list: unused, update: unused, updateStatus: unused, delete: unused, watch: unused, bind: unused,
  };
  const headers = new Map<string, unknown>();
  const res = { headersSent: false, getHeader: (k: string) => headers.get(k), setHeader: (k: string, v: unknown) => headers.set(k, v) } as unknown as ServerResponse;
  await withFieldValidation(api, 'Warn', res).create('configmaps', cm());
  assert.deepEqual(headers.get('warning'), ['299 - "unknown field \\"datta\\""']);
  assert.equal((written[0] as unknown as Record<string, unknown>).datta, undefined);
  await withFieldValidation(api, 'Strict', res).create('configmaps', cm());
  assert.deepEqual((written[1] as unknown as Record<string, unknown>).datta, { b: '2' }, 'the API refuses it with the field path');
});

test('creationTimestamp: null is accepted in every metadata (kubectl run, templates); other nulls stay', () => {
  const d = { metadata: { name: 'd', creationTimestamp: null }, spec: { replicas: null, template: { metadata: { creationTimestamp: null, labels: { a: 'b' } } } } };
  acceptKubeForms(d);
  assert.deepEqual(d, { metadata: { name: 'd' }, spec: { replicas: null, template: { metadata: { labels: { a: 'b' } } } } });
});
