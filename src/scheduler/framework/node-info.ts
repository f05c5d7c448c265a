import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { parseBytes, parseCpuMillis, parseQuantity } from '../../api/quantity.js';

/** Resource amounts: cpu in millicores, memory in bytes, pods and extended resources as counts. */
export type Resources = Record<string, number>;

function toAmount(name: string, value: string | number): number {
  if (name === 'cpu') return parseCpuMillis(value) ?? 0;
  if (name === 'memory' || name === 'ephemeral-storage') return parseBytes(value) ?? 0;
  return parseQuantity(value) ?? 0;
}

/**
 * Requests per Pod object. The watch gives a new object for every change, and a pod's requests never
 * change after creation, so each object is parsed once instead of in every cycle that sees it.
 */
const requestsCache = new WeakMap<Pod, Resources>();

/** What a pod asks for: the sum of its containers' requests (a limit alone counts as the request). */
export function podRequests(pod: Pod): Resources {
  let cached = requestsCache.get(pod);
  if (!cached) { cached = computeRequests(pod); requestsCache.set(pod, cached); }
  return cached;
}

function computeRequests(pod: Pod): Resources {
  const total: Resources = { pods: 1 };
  for (const c of pod.spec.containers) {
    const names = new Set([...Object.keys(c.resources?.requests ?? {}), ...Object.keys(c.resources?.limits ?? {})]);
    for (const name of names) {
      const q = c.resources?.requests?.[name] ?? c.resources?.limits?.[name];
      if (q !== undefined) total[name] = (total[name] ?? 0) + toAmount(name, q);
    }
  }
  // A RuntimeClass's overhead.podFixed (the sandbox's own use), set into spec.overhead at admission.
  for (const [name, q] of Object.entries(pod.spec.overhead ?? {})) total[name] = (total[name] ?? 0) + toAmount(name, q);
  return total;
}

/** A node's allocatable resources as numbers. */
export function nodeAllocatable(node: Node): Resources {
  const out: Resources = {};
  for (const [name, q] of Object.entries(node.status?.allocatable ?? node.status?.capacity ?? {})) out[name] = toAmount(name, q);
  return out;
}

/** Pods that still hold resources on their node (not finished). */
export const holdsResources = (pod: Pod): boolean => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** The default scheduler should place this pod: not bound, not being deleted, and it asks for this scheduler. */
export const needsScheduling = (p: Pod): boolean => !p.spec.nodeName && !p.metadata.deletionTimestamp && (p.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler';

/** The pod has pod affinity or anti-affinity terms (required or preferred). */
export const hasPodAffinity = (pod: Pod): boolean => pod.spec.affinity?.podAffinity !== undefined || pod.spec.affinity?.podAntiAffinity !== undefined;

/** The pod has required pod anti-affinity terms (they keep other pods away from it). */
export const hasRequiredAntiAffinity = (pod: Pod): boolean => (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;

/**
 * One node as the scheduler sees it: the node and what its pods request. Also lists the pods with
 * affinity terms, as Kubernetes' NodeInfo does, so InterPodAffinity need not look at every pod.
 */
export class NodeInfo {
  allocatable: Resources;
  readonly requested: Resources = {};
  readonly pods: Pod[] = [];
  readonly podsWithAffinity: Pod[] = [];
  readonly podsWithRequiredAntiAffinity: Pod[] = [];
  /** Pods per namespace and label pair, so a one-label selector counts a node's pods in O(1). */
  private readonly labelCounts = new Map<string, number>();
  /** Pods being deleted, which topology spread must not count. */
  terminating = 0;
  constructor(private current: Node) { this.allocatable = nodeAllocatable(current); }

  get node(): Node { return this.current; }

  /** The node object changed (a heartbeat, a label): keep the pods. */
  setNode(node: Node): void {
    this.current = node;
    this.allocatable = nodeAllocatable(node);
  }

  addPod(pod: Pod): void {
    this.pods.push(pod);
    if (hasPodAffinity(pod)) this.podsWithAffinity.push(pod);
    if (hasRequiredAntiAffinity(pod)) this.podsWithRequiredAntiAffinity.push(pod);
    this.countLabels(pod, 1);
    for (const [k, v] of Object.entries(podRequests(pod))) this.requested[k] = (this.requested[k] ?? 0) + v;
  }

  /** How many of the node's pods in `namespace` carry label key=value. */
  podsWithLabel(namespace: string, key: string, value: string): number {
    return this.labelCounts.get(labelCountKey(namespace, key, value)) ?? 0;
  }

  /** podsWithLabel by a key made once with labelCountKey (no string building per node). */
  podsWithLabelKey(countKey: string): number {
    return this.labelCounts.get(countKey) ?? 0;
  }

  private countLabels(pod: Pod, delta: number): void {
    if (pod.metadata.deletionTimestamp) this.terminating += delta;
    const ns = podNamespace(pod);
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) {
      const key = labelCountKey(ns, k, v);
      const n = (this.labelCounts.get(key) ?? 0) + delta;
      if (n === 0) this.labelCounts.delete(key); else this.labelCounts.set(key, n);
    }
  }

  /** Take a pod off the node (preemption trying it without a victim); false when it is not here. */
  removePod(pod: Pod): boolean {
    const i = this.pods.findIndex((p) => samePod(p, pod));
    if (i < 0) return false;
    const [gone] = this.pods.splice(i, 1);
    dropFrom(this.podsWithAffinity, pod);
    dropFrom(this.podsWithRequiredAntiAffinity, pod);
    this.countLabels(gone!, -1);
    for (const [k, v] of Object.entries(podRequests(gone!))) this.requested[k] = (this.requested[k] ?? 0) - v;
    return true;
  }

  /** A copy whose pods can change without touching the snapshot. */
  clone(): NodeInfo {
    const out = new NodeInfo(this.current);
    for (const p of this.pods) out.addPod(p);
    return out;
  }

  get name(): string { return this.current.metadata.name; }
}

/** NUL cannot appear in a namespace or a label, so the key is unambiguous. */
export const labelCountKey = (namespace: string, key: string, value: string): string => `${namespace}\u0000${key}\u0000${value}`;

function dropFrom(list: Pod[], pod: Pod): void {
  const i = list.findIndex((p) => samePod(p, pod));
  if (i >= 0) list.splice(i, 1);
}

/** The same pod: by uid when both have one, else by namespace and name. */
export function samePod(a: Pod, b: Pod): boolean {
  if (a.metadata.uid && b.metadata.uid) return a.metadata.uid === b.metadata.uid;
  return a.metadata.name === b.metadata.name && (a.metadata.namespace ?? 'default') === (b.metadata.namespace ?? 'default');
}

/** spec.priority, 0 when unset (the API server fills it from the PriorityClass). */
export const podPriority = (pod: Pod): number => pod.spec.priority ?? 0;

/** The pod's namespace, "default" when unset. */
export const podNamespace = (pod: Pod): string => pod.metadata.namespace ?? 'default';
