/**
 * Pod and node builders for scheduler tests, in the style of Kubernetes' st.MakePod() / st.MakeNode():
 * `MakePod().Name('p').Req({ cpu: '500m' }).Obj()`, `MakeNode().Name('n1').Capacity({ cpu: '4' }).Obj()`.
 */
import type { Node, Taint } from '../../api/node.js';
import type { Pod, PodPhase } from '../../api/pod.js';
import { CycleState } from '../framework/cycle-state.js';
import { filterNodes, scoreNodes } from '../framework/cycle.js';
import type { FilterPlugin, PreFilterPlugin, Profile, ScorePlugin } from '../framework/plugin.js';
import { buildSnapshot } from '../framework/snapshot.js';
import type { LabelSelector, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, Toleration, TopologySpreadConstraint } from '../../api/schema/pod.js';

type Quantities = Record<string, string>;

/** Builds a Pod step by step; Obj() returns a deep copy, so a wrapper can be reused. */
export class PodWrapper {
  private readonly pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pod', namespace: 'default', uid: 'uid-pod' },
    spec: { containers: [] },
  };

  Name(name: string): this { this.pod.metadata.name = name; this.pod.metadata.uid = `uid-${name}`; return this; }
  Namespace(ns: string): this { this.pod.metadata.namespace = ns; return this; }
  UID(uid: string): this { this.pod.metadata.uid = uid; return this; }
  Label(key: string, value: string): this { (this.pod.metadata.labels ??= {})[key] = value; return this; }
  /** metadata.creationTimestamp as an ISO time; the queue orders equal priorities by it. */
  Created(iso: string): this { this.pod.metadata.creationTimestamp = iso; return this; }
  Priority(p: number): this { this.pod.spec.priority = p; return this; }
  NodeName(node: string): this { this.pod.spec.nodeName = node; return this; }
  NodeSelector(sel: Record<string, string>): this { this.pod.spec.nodeSelector = { ...sel }; return this; }
  SchedulerName(name: string): this { this.pod.spec.schedulerName = name; return this; }
  Phase(phase: PodPhase): this { this.pod.status = { ...this.pod.status, phase }; return this; }
  /** Appends a container with these requests (and optional limits), as Kubernetes' Req does. */
  Req(requests: Quantities, limits?: Quantities): this {
    this.pod.spec.containers.push({ name: `c${this.pod.spec.containers.length}`, image: 'busybox', resources: { requests: { ...requests }, ...(limits ? { limits: { ...limits } } : {}) } });
    return this;
  }
  /** Appends a container with limits only (Kubernetes then takes the limits as the requests). */
  Lim(limits: Quantities): this {
    this.pod.spec.containers.push({ name: `c${this.pod.spec.containers.length}`, image: 'busybox', resources: { limits: { ...limits } } });
    return this;
  }
  /** Appends a container with no resources. */
  Container(image = 'busybox'): this {
    this.pod.spec.containers.push({ name: `c${this.pod.spec.containers.length}`, image });
    return this;
  }
  /** metadata.deletionTimestamp set: the pod is terminating. */
  Terminating(iso = '2024-01-01T00:00:00Z'): this { this.pod.metadata.deletionTimestamp = iso; return this; }
  /** status.startTime; preemption spares the pod that started earlier among equals. */
  StartTime(iso: string): this { this.pod.status = { ...this.pod.status, startTime: iso }; return this; }
  NominatedNodeName(node: string): this { this.pod.status = { ...this.pod.status, nominatedNodeName: node }; return this; }
  /** Appends a toleration. */
  Toleration(t: Toleration): this { (this.pod.spec.tolerations ??= []).push({ ...t }); return this; }
  /** Appends a required node affinity term made of these expressions (terms are ORed). */
  NodeAffinityTerm(...exprs: NodeSelectorRequirement[]): this { return this.RequiredNodeTerm({ matchExpressions: exprs }); }
  /** Appends a required node affinity term as given (matchExpressions and/or matchFields). */
  RequiredNodeTerm(term: NodeSelectorTerm): this {
    const na = ((this.pod.spec.affinity ??= {}).nodeAffinity ??= {});
    (na.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] }).nodeSelectorTerms.push(structuredClone(term));
    return this;
  }
  /** Appends a preferred node affinity term with its weight. */
  PreferredNodeTerm(weight: number, ...exprs: NodeSelectorRequirement[]): this {
    const na = ((this.pod.spec.affinity ??= {}).nodeAffinity ??= {});
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: { matchExpressions: structuredClone(exprs) } });
    return this;
  }
  /** Appends a pod affinity or anti-affinity term: required without a weight, preferred with one. */
  PodAffinity(kind: 'podAffinity' | 'podAntiAffinity', term: PodAffinityTerm, weight?: number): this {
    const rules = ((this.pod.spec.affinity ??= {})[kind] ??= {});
    if (weight === undefined) (rules.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(structuredClone(term));
    else (rules.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: structuredClone(term) });
    return this;
  }
  /** Appends a topology spread constraint. */
  Spread(maxSkew: number, topologyKey: string, whenUnsatisfiable: TopologySpreadConstraint['whenUnsatisfiable'], labelSelector?: LabelSelector, minDomains?: number): this {
    const c: TopologySpreadConstraint = { maxSkew, topologyKey, whenUnsatisfiable };
    if (labelSelector) c.labelSelector = structuredClone(labelSelector);
    if (minDomains !== undefined) c.minDomains = minDomains;
    (this.pod.spec.topologySpreadConstraints ??= []).push(c);
    return this;
  }
  Obj(): Pod {
    const out = structuredClone(this.pod);
    if (out.spec.containers.length === 0) out.spec.containers.push({ name: 'c0', image: 'busybox' });
    return out;
  }
}

/** Builds a Node; Capacity sets capacity and allocatable (pods default to 110, as a kubelet's). */
export class NodeWrapper {
  private readonly node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node' }, spec: {}, status: {} };

  Name(name: string): this { this.node.metadata.name = name; return this; }
  Label(key: string, value: string): this { (this.node.metadata.labels ??= {})[key] = value; return this; }
  Capacity(res: Quantities): this {
    const withPods = { pods: '110', ...res };
    this.node.status = { ...this.node.status, capacity: { ...withPods }, allocatable: { ...withPods } };
    return this;
  }
  /** Allocatable only, when it differs from capacity (system reserved). */
  Allocatable(res: Quantities): this { this.node.status = { ...this.node.status, allocatable: { ...res } }; return this; }
  Unschedulable(on = true): this { this.node.spec = { ...this.node.spec, unschedulable: on }; return this; }
  /** Appends a taint. */
  Taint(key: string, value: string | undefined, effect: Taint['effect']): this {
    const t: Taint = { key, effect };
    if (value !== undefined) t.value = value;
    this.node.spec = { ...this.node.spec, taints: [...(this.node.spec?.taints ?? []), t] };
    return this;
  }
  /** Appends an image the node holds (status.images), under one or more names. */
  Image(sizeBytes: number, ...names: string[]): this {
    this.node.status = { ...this.node.status, images: [...(this.node.status?.images ?? []), { names, sizeBytes }] };
    return this;
  }
  Obj(): Node { return structuredClone(this.node); }
}

/** A new pod builder. */
export const MakePod = (): PodWrapper => new PodWrapper();
/** A new node builder. */
export const MakeNode = (): NodeWrapper => new NodeWrapper();

/** A label selector from matchLabels. */
export const Sel = (matchLabels: Record<string, string>): LabelSelector => ({ matchLabels: { ...matchLabels } });

/** What one plugin made of a cluster: feasible nodes, each rejected node's status, normalised scores. */
export interface PluginRun {
  feasible: string[];
  rejected: Record<string, { code: string; reason: string }>;
  /** Feasible node to its 0..100 score (weight 1); empty when the plugin does not score. */
  scores: Record<string, number>;
}

/** Run one plugin alone, with its PreFilter and PreScore, over nodes and the pods bound to them. */
export function runPlugin(plugin: Partial<PreFilterPlugin & FilterPlugin & ScorePlugin> & { name: string }, pod: Pod, nodes: Node[], pods: Pod[] = []): PluginRun {
  const profile: Profile = {
    preFilters: plugin.preFilter ? [plugin as PreFilterPlugin] : [],
    filters: plugin.filter ? [plugin as FilterPlugin] : [],
    scores: plugin.score ? [{ plugin: plugin as ScorePlugin, weight: 1 }] : [],
  };
  const snapshot = buildSnapshot(nodes, pods);
  const state = new CycleState();
  const result = filterNodes(pod, snapshot, profile, state);
  const rejected: PluginRun['rejected'] = {};
  for (const [node, st] of result.statuses) rejected[node] = { code: st.code, reason: st.reasons.join('; ') };
  const totals = scoreNodes(pod, result.feasible, snapshot, profile, state);
  const scores: Record<string, number> = {};
  if (plugin.score) result.feasible.forEach((n, i) => { scores[n.name] = totals[i] ?? 0; });
  return { feasible: result.feasible.map((n) => n.name), rejected, scores };
}
