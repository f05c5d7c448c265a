import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';
import type { Service } from '../../api/schema/service.js';
import { withTestApi } from '../../testing/api.js';
import { ensureKubernetesService } from './kubernetes-service.js';
import { defaultServiceRanges } from './ranges.js';

test('default/kubernetes survives a server restart on another port: the Service and its slice follow the port', () => withTestApi(async ({ api }) => {
  const first = await ensureKubernetesService(api, defaultServiceRanges, { ip: '192.0.2.10', port: 6443 });
  assert.equal(first.spec.clusterIP, '10.43.0.1');
  // The restart: the same store, the server now on port 7443.
  const again = await ensureKubernetesService(api, defaultServiceRanges, { ip: '192.0.2.10', port: 7443 });
  assert.equal(again.spec.clusterIP, '10.43.0.1');
  assert.deepEqual(again.spec.ports?.map((p) => [p.port, p.targetPort]), [[443, 7443]]);
  const slice = await api.get<EndpointSlice>('endpointslices', 'kubernetes', 'default');
  assert.deepEqual(slice.ports?.map((p) => p.port), [7443]);
}));

test('creating a Service whose name exists answers AlreadyExists, not that its cluster IP is taken', () => withTestApi(async ({ api }) => {
  const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: '10.43.0.20', selector: { app: 'web' }, ports: [{ port: 80 }] } };
  await api.create('services', svc);
  await assert.rejects(api.create('services', svc), (e: unknown) => e instanceof ApiError && e.code === 'AlreadyExists');
}));
