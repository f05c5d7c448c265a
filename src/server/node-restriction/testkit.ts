/** Tests only: a real ApiService over a temp SQLite store, and node identities writing through authz. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type ErrorCode } from '../../api/errors.js';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { ApiClient } from '../../client/types.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { ApiService } from '../api-service.js';
import { authorizedClient } from '../http/authz.js';
import { NodeRestriction } from './index.js';

/** The admin's API and a function giving node NAME's authorized client. */
export interface Kit { admin: ApiService; as(node: string): ApiClient }

/** Run fn over a fresh store (removed afterwards); nodes write as the HTTP layer lets them. */
export async function withNodes(fn: (kit: Kit) => Promise<void>, restriction = new NodeRestriction()): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-node-restriction-'));
  const store = await openSqliteStore(join(dir, 'state.db'));
  try {
    const admin = new ApiService(store);
    await fn({ admin, as: (node) => authorizedClient(admin, { name: `system:node:${node}`, role: 'node' }, restriction) });
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
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
