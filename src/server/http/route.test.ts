import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import { parseRoute, type Route } from './route.js';

describe('parseRoute', () => {
  const cases: [string, Route][] = [
    ['/healthz', { type: 'health', what: 'healthz' }],
    ['/livez', { type: 'health', what: 'livez' }],
    ['/readyz', { type: 'health', what: 'readyz' }],
    ['/version', { type: 'health', what: 'version' }],
    ['/api/v1/pods', { type: 'resource', resource: 'pods', name: undefined, sub: undefined }],
    ['/api/v1/nodes/n1', { type: 'resource', resource: 'nodes', name: 'n1', sub: undefined }],
    ['/api/v1/nodes/n1/status', { type: 'resource', resource: 'nodes', name: 'n1', sub: 'status' }],
    ['/api/v1/namespaces/default/pods', { type: 'resource', resource: 'pods', namespace: 'default', name: undefined, sub: undefined }],
    ['/api/v1/namespaces/default/pods/web', { type: 'resource', resource: 'pods', namespace: 'default', name: 'web', sub: undefined }],
    ['/api/v1/namespaces/team/pods/web/log', { type: 'resource', resource: 'pods', namespace: 'team', name: 'web', sub: 'log' }],
    ['/api/v1/namespaces/default/pods/web/binding', { type: 'resource', resource: 'pods', namespace: 'default', name: 'web', sub: 'binding' }],
    ['/api/v1/namespaces/default/pods/web/', { type: 'resource', resource: 'pods', namespace: 'default', name: 'web', sub: undefined }],
    ['//api//v1//pods', { type: 'resource', resource: 'pods', name: undefined, sub: undefined }],
    ['/api/v1/namespaces', { type: 'resource', resource: 'namespaces', name: undefined, sub: undefined }],
    ['/api/v1/namespaces/default', { type: 'resource', resource: 'namespaces', name: 'default', sub: undefined }],
    ['/api/v1/namespaces/default/pods/we%20b', { type: 'resource', resource: 'pods', namespace: 'default', name: 'we b', sub: undefined }],
    ['/apis/lantern.dev/v1/images', { type: 'images' }],
    ['/apis/lantern.dev/v1/images/busybox:latest', { type: 'images', ref: 'busybox:latest' }],
    ['/apis/lantern.dev/v1/images/docker.io%2Flibrary%2Fbusybox', { type: 'images', ref: 'docker.io/library/busybox' }],
  ];
  for (const [path, want] of cases) test(path, () => assert.deepEqual(parseRoute(path), want));

  const notFound = [
    '/', '/api', '/api/v1', '/api/v2/pods', '/apis/lantern.dev/v2/images', '/apis/lantern.dev/v1/images/a/b',
    '/api/v1/pods/web/status/extra', '/api/v1/namespaces/default/pods/web/status/extra', '/healthz/x', '/metrics',
  ];
  for (const path of notFound) {
    test(`${path} is NotFound`, () => {
      assert.throws(() => parseRoute(path), (e: unknown) => e instanceof ApiError && e.code === 'NotFound' && e.status === 404 && e.message === `no API route for path ${path}`);
    });
  }

  test('malformed percent-encoding is a client error, not a crash', () => {
    assert.throws(() => parseRoute('/api/v1/namespaces/default/pods/%E0%A4%A'), (e: unknown) => {
      assert.ok(e instanceof ApiError, `BUG: route.ts decodeURIComponent throws ${String(e)} for a malformed %-escape; the server then answers 500 InternalError instead of a 400/404 ApiError`);
      assert.ok(e.status >= 400 && e.status < 500);
      return true;
    });
  });
});
