import type { ApiClient } from '../client/types.js';
import type { Pod } from '../api/pod.js';
import type { Node } from '../api/node.js';
import type { ApiObject } from '../api/meta.js';
import { systemClock, type TimerClock } from '../api/clock.js';
import { ApiError } from '../api/errors.js';
import { InformerFactory } from '../client/kit/factory.js';
import { numFeasibleNodesToFind } from './framework/cycle.js';
import type { Wake } from './framework/extension.js';
import { needsScheduling } from './framework/node-info.js';
import { runPass, type PassHost, type PassResult } from './framework/pass.js';
import { extensionsOf, type Profile } from './framework/plugin.js';
import { defaultProfile } from './profile.js';
import { SchedulingQueue } from './queue.js';
import { SchedulerCache, podKey as keyOf } from './cache.js';
import { StatusWriter } from './status-writer.js';
import { selectNodeForClaims } from './plugins/volume-binding.js';

/** Bindings in flight at once: the store commits them together, so the scheduler need not wait for each. */
const maxBindsInFlight = 256;
/** The loop hands the event loop back this often, so watch events and API requests keep flowing. */
const yieldEveryMs = 5;

/** Optional observers (metrics) the daemon injects; the scheduler only reports, it never waits on them. */
export interface SchedulerHooks {
  /** One scheduling cycle ended: scheduled (a node was found), unschedulable, or error (its binding failed). */
  attempt?(result: 'scheduled' | 'unschedulable' | 'error', seconds: number): void;
}

/** What a scheduler may be given besides the API, its profile and its hooks. */
export interface SchedulerOptions {
  /** Time for the queue's back-off, the informers' restarts and event stamps (default: the machine's). */
  clock?: TimerClock;
  /** Informers shared with other components of the process (default: its own, over the API and clock). */
  informers?: InformerFactory;
}

/**
 * The scheduler process: follows pods, nodes and what its plugins ask for through informers (list,
 * watch, re-list after a break), keeps an incremental cache, runs one pure pass per popped pod
 * (framework/pass.ts: the pod's cycle, and those of the pods a plugin decides with it) and binds
 * through the API without waiting for each binding (as kube-scheduler's binding cycle). Its only
 * inputs are an ApiClient and a clock (informers are built from them unless shared), so it can run
 * wherever an ApiClient reaches.
 */
export class Scheduler {
  private readonly cache: SchedulerCache;
  private readonly queue: SchedulingQueue;
  private readonly writer: StatusWriter;
  private readonly clock: TimerClock;
  private readonly informers: InformerFactory;
  private readonly ownInformers: boolean;
  private readonly unfollow: (() => void)[] = [];
  private nextStartNodeIndex = 0;
  private bindsInFlight = 0;
  private bindSlot: (() => void) | undefined;
  private running = false;
  private wake: (() => void) | undefined;
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly api: ApiClient, private readonly profile: Profile = defaultProfile, private readonly hooks: SchedulerHooks = {}, options: SchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    const clock = this.clock;
    this.ownInformers = options.informers === undefined;
    this.informers = options.informers ?? new InformerFactory({ api, clock, log: (m) => { if (this.running) console.error(`scheduler: ${m}`); } });
    this.cache = new SchedulerCache(extensionsOf(profile));
    this.queue = new SchedulingQueue(clock);
    this.writer = new StatusWriter(api, clock, (pg) => this.cache.objectChanged('podgroups', { type: 'MODIFIED', object: pg }));
  }

  /** List and watch; resolves once every list is in and the loop runs. */
  async start(): Promise<void> {
    this.running = true;
    const nodes = this.informers.informer<Node>('nodes');
    this.unfollow.push(nodes.addHandler({ onAdd: (n) => this.onNode(n), onUpdate: (_, n) => this.onNode(n), onDelete: (n) => this.cache.deleteNode(n.metadata.name) }));
    const pods = this.informers.informer<Pod>('pods');
    this.unfollow.push(pods.addHandler({ onAdd: (p) => this.onPod(p), onUpdate: (_, p) => this.onPod(p), onDelete: (p) => this.onPodDeleted(p) }));
    const followed: { start(): Promise<void> }[] = [nodes, pods];
    // What the plugins' cache extensions follow besides pods and nodes (PodGroups for Coscheduling).
    for (const resource of this.cache.extensions.watched()) {
      const inf = this.informers.informer<ApiObject>(resource);
      const tell = (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: ApiObject): void => this.activate(this.cache.objectChanged(resource, { type, object }));
      this.unfollow.push(inf.addHandler({ onAdd: (o) => tell('ADDED', o), onUpdate: (_, o) => tell('MODIFIED', o), onDelete: (o) => tell('DELETED', o) }));
      followed.push(inf);
    }
    await Promise.all(followed.map((i) => i.start()));
    if (!this.running) return;
    void this.loop().catch((e: unknown) => console.error('scheduler: the scheduling loop stopped:', e));
  }

  stop(): void {
    this.running = false;
    this.bindSlot?.();
    for (const remove of this.unfollow.splice(0)) remove();
    if (this.ownInformers) this.informers.stop();
    this.cancelTimer?.();
    this.wake?.();
  }

  /** Pods waiting, per sub-queue (kube-scheduler's scheduler_pending_pods). */
  pendingPods(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.queue.activeCount, backoff: this.queue.backoffCount, unschedulable: this.queue.unschedulableCount };
  }

  /** Pods waiting in the queue (for metrics and tests). */
  get pending(): number { return this.queue.pendingCount; }

  private onNode(node: Node): void {
    // Only a change the filters can see may help a parked pod; a heartbeat does not.
    if (!this.cache.setNode(node)) return;
    this.queue.moveAllToActiveOrBackoff();
    this.kick();
  }

  private onPod(received: Pod): void {
    const k = keyOf(received);
    const old = this.cache.getPod(k);
    // Keep an assumed binding until the watch confirms it (informer objects are shared: copy, never change).
    const pod = old?.spec.nodeName && !received.spec.nodeName && old.metadata.uid === received.metadata.uid
      ? { ...received, spec: { ...received.spec, nodeName: old.spec.nodeName } } : received;
    const wake = this.cache.setPod(pod);
    if (needsScheduling(pod)) this.queue.add(pod);
    this.activate(wake);
    const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    const wasFinished = old?.status?.phase === 'Succeeded' || old?.status?.phase === 'Failed';
    if (finished && !wasFinished && pod.spec.nodeName) this.queue.moveAllToActiveOrBackoff();
    this.kick();
  }

  private onPodDeleted(pod: Pod): void {
    const k = keyOf(pod);
    const old = this.cache.getPod(k);
    this.cache.deletePod(k);
    this.queue.remove(pod.metadata.namespace ?? 'default', pod.metadata.name);
    if (old?.spec.nodeName) this.queue.moveAllToActiveOrBackoff();
    this.kick();
  }

  /** Pods a cache extension says an event may unblock go to the active queue now. */
  private activate(wake: Wake): void {
    if (!wake || wake.length === 0) return;
    for (const p of wake) {
      const current = this.cache.getPod(keyOf(p));
      if (current && needsScheduling(current)) this.queue.activate(current);
    }
    this.kick();
  }

  private kick(): void { this.wake?.(); }

  private async loop(): Promise<void> {
    let slice = Date.now();
    while (this.running) {
      if (Date.now() - slice >= yieldEveryMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        slice = Date.now();
      }
      if (this.bindsInFlight >= maxBindsInFlight) {
        await new Promise<void>((resolve) => { this.bindSlot = resolve; });
        continue;
      }
      const pod = this.queue.pop();
      if (!pod) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          const wait = this.queue.nextBackoffIn();
          if (wait !== undefined) this.cancelTimer = this.clock.after(wait, resolve);
        });
        this.wake = undefined;
        this.cancelTimer?.();
        this.cancelTimer = undefined;
        slice = Date.now();
        continue;
      }
      const current = this.cache.getPod(keyOf(pod));
      if (!current || !needsScheduling(current) || current.metadata.uid !== pod.metadata.uid) continue;
      try {
        await this.schedule(current);
      } catch (e) {
        // One pod's failure (a store write that failed, say) must not stop scheduling for every other pod.
        console.error(`scheduler: scheduling ${keyOf(current)} failed (will retry): ${e instanceof Error ? e.message : String(e)}`);
        this.queue.markError(current);
      }
    }
  }

  /** The pass's view of the cache and the queue. */
  private readonly host: PassHost = {
    snapshot: () => this.cache.snapshot(),
    assume: (pod, node) => this.cache.assume(pod, node),
    forget: (pod) => this.cache.forget(pod),
    take: (pod) => {
      const current = this.cache.getPod(keyOf(pod));
      if (!current || !needsScheduling(current) || current.metadata.uid !== pod.metadata.uid) return undefined;
      this.queue.remove(current.metadata.namespace ?? 'default', current.metadata.name);
      return current;
    },
    sampling: (all) => ({ limit: numFeasibleNodesToFind(all), start: this.nextStartNodeIndex }),
    sampled: (processed, all) => { if (all > 0) this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % all; },
  };

  /** One pass (synchronous: the decision), then its API writes; found nodes are bound in the background. */
  private async schedule(pod: Pod): Promise<void> {
    const t0 = performance.now();
    const result = runPass(pod, this.profile, this.host);
    this.observe(result, (performance.now() - t0) / 1000);
    for (const o of result.outcomes) {
      if (o.kind === 'bind') this.bindInBackground(o.pod, o.node);
      else if (o.kind === 'parked') this.queue.remove(o.pod.metadata.namespace ?? 'default', o.pod.metadata.name);
      else this.queue.markUnschedulable(o.pod);
    }
    // The group's status first: once its members say why they wait, their PodGroup says it too.
    for (const r of result.groups) await this.writer.group(r);
    for (const o of result.outcomes) {
      if (o.kind === 'unschedulable') await this.writer.unschedulable(o.pod, o.decision, this.cache.snapshot(), this.profile);
      else if (o.kind === 'rejected') await this.writer.rejected(o.pod, o.message);
    }
  }

  /** One attempt per pass: scheduled when something binds, unschedulable when something waits (a parked gang is neither). */
  private observe(result: PassResult, seconds: number): void {
    if (result.outcomes.some((o) => o.kind === 'bind')) this.hooks.attempt?.('scheduled', seconds);
    else if (result.outcomes.some((o) => o.kind !== 'parked')) this.hooks.attempt?.('unschedulable', seconds);
  }

  /** The binding cycle (the pod is assumed in the cache already): write the binding, or forget the assumption and retry later. */
  private bindInBackground(pod: Pod, node: string): void {
    this.bindsInFlight++;
    void this.bind(pod, node).finally(() => {
      this.bindsInFlight--;
      const slot = this.bindSlot;
      this.bindSlot = undefined;
      slot?.();
    });
  }

  private async bind(pod: Pod, node: string): Promise<void> {
    const ns = pod.metadata.namespace ?? 'default';
    try {
      await selectNodeForClaims(this.api, pod, node); // PreBind: a WaitForFirstConsumer claim is provisioned on this node
      await this.api.bind(ns, pod.metadata.name, node);
      this.writer.scheduled(pod, node);
    } catch (e) {
      const current = this.cache.getPod(keyOf(pod));
      // Undo the assumption unless the watch has brought a newer state of the pod meanwhile.
      if (current && current.metadata.uid === pod.metadata.uid && current.metadata.resourceVersion === pod.metadata.resourceVersion) this.cache.forget(pod);
      if (e instanceof ApiError && e.code === 'NotFound') return;
      if (e instanceof ApiError && e.code === 'Conflict') return; // bound by someone else; the watch will tell
      this.queue.markError(pod);
      this.hooks.attempt?.('error', 0);
      this.kick();
      console.error(`scheduler: binding ${ns}/${pod.metadata.name} to ${node} failed:`, e instanceof Error ? e.message : e);
    }
  }
}
