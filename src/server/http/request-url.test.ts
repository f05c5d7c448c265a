import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { requestUrl } from './request-url.js';

const req = (url: string): IncomingMessage => ({ url } as IncomingMessage);

test('a "." or ".." path segment (also as %2e) is a 400, never resolved into another object\'s path', () => {
  for (const u of ['/api/v1/namespaces/default/storageclasses/..', '/api/v1/namespaces/default/pods/.?watch=true', '/api/v1/namespaces/default/pods/%2e%2E', '/api/v1/namespaces/default/pods/.%2e/x']) {
    assert.throws(() => requestUrl(req(u)), (e: unknown) => e instanceof ApiError && e.code === 'BadRequest' && /is not allowed/.test(e.message), u);
  }
  // Dots inside a name, and in the query, are fine.
  assert.equal(requestUrl(req('/api/v1/namespaces/default/configmaps/app.conf')).pathname, '/api/v1/namespaces/default/configmaps/app.conf');
  assert.equal(requestUrl(req('/api/v1/pods?labelSelector=a%3D..')).pathname, '/api/v1/pods');
  assert.equal(requestUrl(req('/v2/library/busybox/manifests/1.36')).pathname, '/v2/library/busybox/manifests/1.36');
});
