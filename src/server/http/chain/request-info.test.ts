import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { requestInfo } from './request-info.js';

const info = (method: string, url: string): ReturnType<typeof requestInfo> => requestInfo({ method, url } as IncomingMessage);

describe('request info (what the limits, audit and authorization steps see)', () => {
  test('resource requests get Kubernetes verbs and object references', () => {
    assert.deepEqual(
      (({ verb, apiGroup, apiVersion, resource, namespace, name, subresource }) => ({ verb, apiGroup, apiVersion, resource, namespace, name, subresource }))(info('PUT', '/apis/apps/v1/namespaces/web/deployments/front/scale')),
      { verb: 'update', apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments', namespace: 'web', name: 'front', subresource: 'scale' },
    );
    assert.equal(info('GET', '/api/v1/pods').verb, 'list');
    assert.equal(info('GET', '/api/v1/namespaces/a/pods/p').verb, 'get');
    assert.equal(info('DELETE', '/api/v1/namespaces/a/pods').verb, 'deletecollection');
    assert.equal(info('POST', '/apis/lantern.dev/v1/nodes/join').subresource, 'join');
    assert.equal(info('GET', '/healthz').isResourceRequest, false);
  });

  test('streams are long-running (no in-flight slot, no body deadline); ordinary requests are not', () => {
    for (const [m, u] of [['GET', '/api/v1/pods?watch=1'], ['GET', '/api/v1/namespaces/a/pods/p/log?follow=true'], ['POST', '/api/v1/namespaces/a/pods/p/exec'],
      ['GET', '/apis/lantern.dev/v1/nodes/n1/tunnel'], ['GET', '/api/v1/nodes/n1/proxy/metrics/cadvisor'], ['POST', '/apis/lantern.dev/v1/images/build?tag=x'],
      ['POST', '/apis/lantern.dev/v1/images?node=n1'], ['PATCH', '/v2/team/app/blobs/uploads/u1'], ['GET', '/v2/team/app/blobs/sha256:abc']]) {
      assert.equal(info(m!, u!).longRunning, true, `${m} ${u}`);
    }
    for (const [m, u] of [['GET', '/api/v1/pods'], ['POST', '/api/v1/namespaces/a/configmaps'], ['GET', '/apis/lantern.dev/v1/images'], ['DELETE', '/apis/lantern.dev/v1/images/busybox'], ['PUT', '/v2/team/app/manifests/1']]) {
      assert.equal(info(m!, u!).longRunning, false, `${m} ${u}`);
    }
    assert.equal(info('GET', '/api/v1/pods').mutating, false);
    assert.equal(info('PUT', '/v2/team/app/manifests/1').mutating, true);
  });
});
