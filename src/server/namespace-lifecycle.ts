/**
 * kube-apiserver's NamespaceLifecycle admission, and the namespaces it creates at start: an object
 * may be created only in a namespace that exists and is not being deleted, so a deleted namespace's
 * controller can empty it for good.
 */
import { ApiError } from '../api/errors.js';
import type { ApiObject } from '../api/meta.js';
import { kindModules } from '../api/kinds/index.js';
import { systemNamespaces, type Namespace } from '../api/schema/namespace.js';
import type { ApiClient } from '../client/types.js';

/**
 * Refuse creating OBJ (of a namespaced kind) in a missing namespace (404, as kube-apiserver:
 * `namespaces "x" not found`) or in one being deleted (403 Forbidden). A Namespace's own objects and
 * Events pass a terminating namespace: its controller reports what it does there.
 */
export async function admitNamespace(api: Pick<ApiClient, 'get'>, obj: ApiObject): Promise<void> {
  const name = obj.metadata.namespace ?? 'default';
  let ns: Namespace;
  try {
    ns = await api.get<Namespace>('namespaces', name);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') {
      throw new ApiError('NotFound', `namespaces "${name}" not found: create it first (lcctl create namespace ${name}, or kubectl create namespace ${name})`);
    }
    throw e;
  }
  if (ns.metadata.deletionTimestamp !== undefined && obj.kind !== 'Event') {
    throw new ApiError('Forbidden', `unable to create new content in namespace ${name} because it is being terminated`);
  }
}

/** Create default and lantern-system when absent, as kube-apiserver does at start; resolves with those it made. */
export async function ensureSystemNamespaces(api: Pick<ApiClient, 'create'>): Promise<string[]> {
  const created: string[] = [];
  for (const name of systemNamespaces) {
    try {
      // Pod Security enforce=privileged: the admin's `lcctl run --privileged` works here as Docker's (docs/architecture.md, Namespaces as tenants).
      await api.create<Namespace>('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } });
      created.push(name);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
    }
  }
  return created;
}

/**
 * A Namespace for every namespace objects are already in: a data directory from before Namespaces
 * existed keeps working (its namespaces are listed, and deleting one empties it). Run once, on the
 * start that created the system namespaces. Resolves with the names it made.
 */
export async function adoptUsedNamespaces(api: Pick<ApiClient, 'create' | 'list'>): Promise<string[]> {
  const used = new Set<string>();
  for (const k of kindModules) {
    if (!k.namespaced) continue;
    for (const o of (await api.list(k.resource)).items) used.add(o.metadata.namespace ?? 'default');
  }
  const created: string[] = [];
  for (const name of [...used].sort()) {
    if (systemNamespaces.includes(name)) continue;
    try {
      await api.create<Namespace>('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      created.push(name);
    } catch (e) {
      // AlreadyExists, or a name no Namespace may have (it stays usable as before, just unlisted).
      if (!(e instanceof ApiError && (e.code === 'AlreadyExists' || e.code === 'Invalid'))) throw e;
    }
  }
  return created;
}

/** Refuse deleting a namespace the server needs (kube-apiserver refuses default, kube-system and kube-public). */
export function admitNamespaceDelete(kind: string, name: string): void {
  if (kind === 'Namespace' && systemNamespaces.includes(name)) {
    throw new ApiError('Forbidden', `namespace ${name} may not be deleted: the server keeps it`);
  }
}
