import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { parseRoute } from './route.js';
import { requestInfo } from './chain/request-info.js';

const info = (method: string, url: string) => requestInfo({ method, url, headers: {} } as IncomingMessage);

test('namespaces are a resource; NAME/status and NAME/finalize are its subresources, not resources in it', () => {
  assert.deepEqual(parseRoute('/api/v1/namespaces'), { type: 'resource', resource: 'namespaces', name: undefined, sub: undefined });
  assert.deepEqual(parseRoute('/api/v1/namespaces/team'), { type: 'resource', resource: 'namespaces', name: 'team', sub: undefined });
  assert.deepEqual(parseRoute('/api/v1/namespaces/team/status'), { type: 'resource', resource: 'namespaces', name: 'team', sub: 'status' });
  assert.deepEqual(parseRoute('/api/v1/namespaces/team/pods'), { type: 'resource', resource: 'pods', namespace: 'team', name: undefined, sub: undefined });
  const status = info('PUT', '/api/v1/namespaces/team/status');
  assert.deepEqual([status.resource, status.name, status.subresource, status.namespace], ['namespaces', 'team', 'status', '']);
  const evict = info('POST', '/api/v1/namespaces/team/pods/web/eviction');
  assert.deepEqual([evict.resource, evict.name, evict.subresource, evict.namespace, evict.verb], ['pods', 'web', 'eviction', 'team', 'create']);
});
