/** Tests only: the kit's ApiService over a temp SQLite store, and node identities writing through authz. */
import assert from 'node:assert/strict';
import { ApiError, type ErrorCode } from '../../api/errors.js';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { ApiClient } from '../../client/types.js';
import { withTestApi } from '../../testing/api.js';
import type { ApiService } from '../api-service.js';
import { authorizedClient } from '../http/authz.js';
import { NodeRestriction } from './index.js';

/** The admin's API and a function giving node NAME's authorized client. */
export interface Kit { admin: ApiService; as(node: string): ApiClient }

/** Run fn over a fresh store (removed afterwards); nodes write as the HTTP layer lets them. */
export async function withNodes(fn: (kit: Kit) => Promise<void>, restriction = new NodeRestriction()): Promise<void> {
  await withTestApi(({ api: admin }) => fn({ admin, as: (node) => authorizedClient(admin, { name: `system:node:${node}`, role: 'node' }, restriction) }), { prefix: 'lantern-node-restriction-' });
}

/** A Node as the agent registers it (node-object.ts's shape). */
export function agentNode(name: string, labels: Record<string, string> = {}): Node {
  const res = { cpu: '4', memory: '8048656Ki', pods: '110' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', ...labels } },
    spec: {},
    status: { capacity: res, allocatable: res, addresses: [{ type: 'InternalIP', address: '192.0.2.10' }, { type: 'Hostname', address: name }] },
  };
}

/** A busybox pod bound to a node. */
export function boundPod(name: string, nodeName: string, containers = ['c']): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: containers.map((c) => ({ name: c, image: 'busybox' })) } };
}

/** assert.rejects matcher: an ApiError with this code, a message matching, and (optionally) a cause on this field. */
export const apiError = (code: ErrorCode, message?: RegExp, field?: string) => (e: unknown): boolean => {
  assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (message) assert.match(e.message, message);
  if (field !== undefined) assert.ok(e.details?.causes?.some((c) => c.field === field), `no cause on ${field}: ${JSON.stringify(e.details?.causes)}`);
  return true;
};
