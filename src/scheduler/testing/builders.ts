/**
 * Pod and node builders for scheduler tests, in the style of Kubernetes' st.MakePod() / st.MakeNode():
 * `MakePod().Name('p').Req({ cpu: '500m' }).Obj()`, `MakeNode().Name('n1').Capacity({ cpu: '4' }).Obj()`.
 */
import type { Node } from '../../api/node.js';
import type { Pod, PodPhase } from '../../api/pod.js';

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
  Obj(): Node { return structuredClone(this.node); }
}

/** A new pod builder. */
export const MakePod = (): PodWrapper => new PodWrapper();
/** A new node builder. */
export const MakeNode = (): NodeWrapper => new NodeWrapper();
