/**
 * What one object charges to a ResourceQuota, as Kubernetes' quota evaluators count it: a pod its
 * requests and limits (the larger of the containers' sum and any init container, as the scheduler
 * sizes it) and `pods`; a claim its storage; a service its node ports; every object `count/RESOURCE.GROUP`.
 */
import type { ApiObject } from './meta.js';
import type { Container, Pod } from './schema/pod.js';
import type { PersistentVolumeClaim } from './schema/storage.js';
import { amountOf, type Amounts } from './resource-list.js';

/** Resources whose bare name ("cpu") is also the request's quota name (Kubernetes' standard compute resources). */
const standard = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** The count/ name of a resource of GROUP: count/pods, count/deployments.apps. */
export const countName = (resource: string, group: string): string => (group === '' ? `count/${resource}` : `count/${resource}.${group}`);

/** The legacy object-count names Kubernetes keeps for core kinds. */
const legacyCounts: Record<string, string> = {
  pods: 'pods', services: 'services', configmaps: 'configmaps', secrets: 'secrets', persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers', resourcequotas: 'resourcequotas',
};

/** A pod in a terminal phase, or being deleted, no longer holds quota (Kubernetes frees it at the end; so do we once deletion starts). */
export const podHoldsQuota = (pod: Pod): boolean => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;

/** One container's requests: a request missing where a limit is given is the limit, as Kubernetes defaults it. */
export function containerRequests(c: Container): Record<string, string | number> {
  return { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
}

function addList(out: Amounts, list: Record<string, string | number>, prefix: string): void {
  for (const [r, q] of Object.entries(list)) {
    const a = amountOf(r, q);
    if (a !== undefined) out.set(prefix + r, (out.get(prefix + r) ?? 0) + a);
  }
}

/** The pod's effective requests (requests.*) and limits (limits.*), and the bare names of standard resources. */
export function podCompute(pod: Pod): Amounts {
  const sum = (containers: readonly Container[]): Amounts => {
    const out: Amounts = new Map();
    for (const c of containers) {
      addList(out, containerRequests(c), 'requests.');
      addList(out, c.resources?.limits ?? {}, 'limits.');
    }
    return out;
  };
  const total = sum(pod.spec.containers);
  for (const init of pod.spec.initContainers ?? []) {
    for (const [r, a] of sum([init])) total.set(r, Math.max(total.get(r) ?? 0, a));
  }
  // A RuntimeClass's overhead (spec.overhead, set by its admission) is part of what the pod requests,
  // and of its limits where it has limits, as Kubernetes counts it.
  for (const [r, q] of Object.entries((pod.spec as { overhead?: Record<string, string | number> }).overhead ?? {})) {
    const a = amountOf(r, q);
    if (a === undefined) continue;
    total.set(`requests.${r}`, (total.get(`requests.${r}`) ?? 0) + a);
    if (total.has(`limits.${r}`)) total.set(`limits.${r}`, (total.get(`limits.${r}`) ?? 0) + a);
  }
  for (const [r, a] of [...total]) {
    const bare = r.slice('requests.'.length);
    if (r.startsWith('requests.') && standard.has(bare)) total.set(bare, a);
  }
  return total;
}

/** What OBJ (of RESOURCE in GROUP) charges to a quota; a pod that holds no quota charges nothing. */
export function usageOf(resource: string, group: string, obj: ApiObject): Amounts {
  if (resource === 'pods' && !podHoldsQuota(obj as Pod)) return new Map();
  const out: Amounts = resource === 'pods' ? podCompute(obj as Pod) : new Map();
  out.set(countName(resource, group), 1);
  const legacy = group === '' ? legacyCounts[resource] : undefined;
  if (legacy !== undefined) out.set(legacy, 1);
  if (resource === 'persistentvolumeclaims') {
    const claim = obj as PersistentVolumeClaim;
    const storage = claim.spec.resources?.requests?.storage;
    const a = storage === undefined ? undefined : amountOf('storage', storage);
    if (a !== undefined) {
      out.set('requests.storage', a);
      if (claim.spec.storageClassName) {
        out.set(`${claim.spec.storageClassName}.storageclass.storage.k8s.io/requests.storage`, a);
        out.set(`${claim.spec.storageClassName}.storageclass.storage.k8s.io/persistentvolumeclaims`, 1);
      }
    }
  }
  if (resource === 'services') {
    const type = (obj as { spec?: { type?: string; ports?: unknown[] } }).spec?.type;
    const ports = (obj as { spec?: { ports?: unknown[] } }).spec?.ports?.length ?? 0;
    if (type === 'NodePort' || type === 'LoadBalancer') out.set('services.nodeports', ports);
    if (type === 'LoadBalancer') out.set('services.loadbalancers', 1);
  }
  return out;
}

/** The resources (resource, group) whose objects make up the usage of quota names HARD. */
export function resourcesFor(hard: Iterable<string>, kinds: readonly { resource: string; group: string }[]): { resource: string; group: string }[] {
  const want = new Map<string, { resource: string; group: string }>();
  const add = (resource: string, group: string): void => { want.set(`${resource}.${group}`, { resource, group }); };
  for (const name of hard) {
    if (name.startsWith('count/')) {
      const k = kinds.find((m) => countName(m.resource, m.group) === name);
      if (k) add(k.resource, k.group);
    } else if (name === 'services' || name.startsWith('services.')) add('services', '');
    else if (name === 'configmaps' || name === 'secrets') add(name, '');
    else if (name === 'persistentvolumeclaims' || name === 'requests.storage' || name.includes('.storageclass.storage.k8s.io/')) add('persistentvolumeclaims', '');
    else if (name === 'resourcequotas') add('resourcequotas', '');
    else add('pods', '');
  }
  return [...want.values()];
}

/** The usage of quota names HARD in NAMESPACE, summed over the objects LIST gives (every name of HARD present, 0 when unused). */
export async function measureUsage(list: (resource: string, namespace: string) => Promise<readonly ApiObject[]>, namespace: string,
  hard: Iterable<string>, kinds: readonly { resource: string; group: string }[]): Promise<Amounts> {
  const names = [...hard];
  const used: Amounts = new Map(names.map((n) => [n, 0]));
  for (const { resource, group } of resourcesFor(names, kinds)) {
    for (const obj of await list(resource, namespace)) {
      for (const [r, a] of usageOf(resource, group, obj)) if (used.has(r)) used.set(r, (used.get(r) ?? 0) + a);
    }
  }
  return used;
}
