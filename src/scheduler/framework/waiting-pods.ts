import type { Pod } from '../../api/pod.js';
import type { Unschedulable } from './permit.js';

/** A pod held in a pass: reserved on `node`, or without one when its cycle found none. */
export interface WaitingPod {
  pod: Pod;
  node?: string;
  /** Why its cycle found no node (when it has none). */
  decision?: Unschedulable;
  /** The plugin that made it wait. */
  plugin: string;
}

/**
 * kube-scheduler's waiting pods map, for one pass: plugins allow or reject held pods (a whole group
 * at once); the pass collects the verdicts after each cycle and at its end.
 */
export class WaitingPods {
  private readonly held = new Map<Pod, WaitingPod>();
  private allowed: WaitingPod[] = [];
  private rejected: { w: WaitingPod; message: string }[] = [];

  add(w: WaitingPod): void { this.held.set(w.pod, w); }

  /** The pods still waiting. */
  pods(): Pod[] { return [...this.held.keys()]; }

  /** The pod's entry while it waits. */
  get(pod: Pod): WaitingPod | undefined { return this.held.get(pod); }

  /** Let every waiting pod that `which` selects go on: bound when it has a node. */
  allow(which: (p: Pod) => boolean): void {
    for (const [pod, w] of this.held) if (which(pod)) { this.held.delete(pod); this.allowed.push(w); }
  }

  /** Give up every waiting pod that `which` selects, with the reason its PodScheduled condition shows. */
  reject(which: (p: Pod) => boolean, message: string): void {
    for (const [pod, w] of this.held) if (which(pod)) { this.held.delete(pod); this.rejected.push({ w, message }); }
  }

  /** The verdicts since the last call. */
  takeVerdicts(): { allowed: WaitingPod[]; rejected: { w: WaitingPod; message: string }[] } {
    const out = { allowed: this.allowed, rejected: this.rejected };
    this.allowed = [];
    this.rejected = [];
    return out;
  }
}
