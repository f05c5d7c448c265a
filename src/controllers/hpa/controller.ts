import type { Pod } from '../../api/pod.js';
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import { systemClock, type Clock } from '../../api/clock.js';
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';
import type { LabelSelector } from '../../api/schema/pod.js';
import { scalableKinds } from '../../api/kinds/hpa.js';
import { selectorText } from '../../api/kinds/pod-template.js';
import type { ApiClient, Watcher } from '../../client/types.js';
import { EventRecorder } from '../../client/events.js';
import { recordScale, type ScaleHistory } from './behavior.js';
import { behaviorOf, decide, type ConditionUpdate } from './decide.js';
import { podSamples } from './pods.js';
import { nextStatus } from './status.js';

/** CPU usage of the running pods of a namespace, millicores by pod name (what metrics.k8s.io serves). */
export type PodCpuSource = (namespace: string) => Promise<ReadonlyMap<string, number>>;

/** Settings of the autoscaler controller. */
export interface HpaControllerOptions {
  api: ApiClient;
  metrics: PodCpuSource;
  clock?: Clock;
  /** How often every autoscaler is evaluated (Kubernetes' default 15 s). */
  syncPeriodMs?: number;
  log?: (msg: string) => void;
}

/** A Deployment or ReplicaSet as far as scaling goes. */
type Scalable = ApiObject & { spec: { replicas?: number; selector: LabelSelector } };

/**
 * Every sync period, for each HorizontalPodAutoscaler: read its target and the target's pods, ask the
 * metrics source for their CPU use, decide (decide.ts), write the target's spec.replicas, record an
 * Event, and write the autoscaler's status. New or changed autoscalers are evaluated at once.
 */
export class HpaController {
  private readonly clock: Clock;
  private readonly log: (msg: string) => void;
  private readonly events: EventRecorder;
  /** Per autoscaler uid: recommendations and rescales the behavior rules look back on. */
  private readonly history = new Map<string, ScaleHistory>();
  private readonly synced = new Map<string, number>();
  private watcher: Watcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: HpaControllerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? ((m) => console.error(`hpa: ${m}`));
    this.events = new EventRecorder(opts.api, 'horizontal-pod-autoscaler', () => new Date(this.clock.now()));
  }

  /** Watch autoscalers and evaluate all of them every sync period. */
  start(): void {
    this.watch();
    this.timer = setInterval(() => { void this.enqueue(() => this.syncAll()); }, this.opts.syncPeriodMs ?? 15_000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.stop();
  }

  private watch(): void {
    this.watcher = this.opts.api.watch<HorizontalPodAutoscaler>('horizontalpodautoscalers', undefined, {}, (e) => this.onEvent(e));
    this.watcher.done.catch((e: unknown) => {
      if (this.stopped) return;
      this.log(`horizontalpodautoscalers watch ended (${String(e)}); starting again`);
      setTimeout(() => { if (!this.stopped) this.watch(); }, 1000).unref();
    });
  }

  private onEvent(e: WatchEvent<HorizontalPodAutoscaler>): void {
    const uid = e.object.metadata.uid ?? '';
    if (e.type === 'DELETED') { this.history.delete(uid); this.synced.delete(uid); return; }
    // Our own status writes come back as MODIFIED: only a new spec is worth an early sync.
    if (this.synced.get(uid) === e.object.metadata.generation) return;
    const { name, namespace } = e.object.metadata;
    void this.enqueue(async () => {
      const fresh = await this.opts.api.get<HorizontalPodAutoscaler>('horizontalpodautoscalers', name, namespace).catch(() => undefined);
      if (fresh) await this.sync(fresh, new Map());
    });
  }

  /** Run syncs one at a time, so two never race on one autoscaler's history. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch((e: unknown) => this.log(String(e)));
    return this.chain;
  }

  /** Evaluate every autoscaler once (what each period does; tests call it after moving the clock). */
  async syncAll(): Promise<void> {
    const list = await this.opts.api.list<HorizontalPodAutoscaler>('horizontalpodautoscalers');
    const live = new Set(list.items.map((h) => h.metadata.uid ?? ''));
    for (const uid of this.history.keys()) if (!live.has(uid)) { this.history.delete(uid); this.synced.delete(uid); }
    // One metrics read per namespace per pass: a read may wait a second for a fresh rate.
    const usage = new Map<string, Promise<ReadonlyMap<string, number>>>();
    for (const h of list.items) {
      await this.sync(h, usage).catch((e: unknown) => this.log(`${h.metadata.namespace ?? 'default'}/${h.metadata.name}: ${String(e)}`));
    }
  }

  private async sync(h: HorizontalPodAutoscaler, usage: Map<string, Promise<ReadonlyMap<string, number>>>): Promise<void> {
    const api = this.opts.api;
    const ns = h.metadata.namespace ?? 'default';
    const uid = h.metadata.uid ?? '';
    const now = this.clock.now();
    const nowText = new Date(now).toISOString();
    this.synced.set(uid, h.metadata.generation ?? 0);
    const ref = h.spec.scaleTargetRef;
    const resource = scalableKinds[ref.kind] ?? '';
    let target: Scalable;
    try {
      target = await api.get<Scalable>(resource, ref.name, ns);
    } catch (e) {
      const message = `the HPA controller was unable to get the target's current scale: ${e instanceof Error ? e.message : String(e)}`;
      await this.events.record(h, 'Warning', 'FailedGetScale', message);
      await this.writeStatus(h, nextStatus(h, { current: h.status?.currentReplicas ?? 0, desired: h.status?.desiredReplicas ?? 0, conditions: [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message }], now: nowText }));
      return;
    }
    const current = target.spec.replicas ?? 1;
    let history = this.history.get(uid);
    // As Kubernetes: the window starts out holding the current count, so a fresh controller does not scale down at once.
    if (!history) { history = { recommendations: [{ at: now, replicas: current }], up: [], down: [] }; this.history.set(uid, history); }
    const samples = await this.samples(ns, target.spec.selector, usage).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    const d = decide(h, current, samples, history, now);
    const conditions: ConditionUpdate[] = [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" }, ...d.conditions];
    if (d.error) await this.events.record(h, 'Warning', 'FailedGetResourceMetric', d.error);
    let scaledAt: string | undefined;
    if (d.desired !== current) {
      try {
        await this.setReplicas(resource, ref.name, ns, d.desired);
        recordScale(history, behaviorOf(h), current, d.desired, now);
        scaledAt = nowText;
        conditions.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${d.desired}` });
        await this.events.record(h, 'Normal', 'SuccessfulRescale', `New size: ${d.desired}; reason: ${d.reason}`);
        this.log(`${ns}/${h.metadata.name}: ${ref.kind.toLowerCase()}/${ref.name} ${current} -> ${d.desired} (${d.reason})`);
      } catch (e) {
        const err = e instanceof Error ? e.message : String(e);
        conditions.push({ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${err}` });
        await this.events.record(h, 'Warning', 'FailedRescale', `New size: ${d.desired}; reason: ${d.reason}; error: ${err}`);
      }
    }
    await this.writeStatus(h, nextStatus(h, {
      current, desired: d.error ? current : d.desired, utilization: d.measured?.utilization, averageMillis: d.measured?.averageMillis, scaledAt, conditions, now: nowText,
    }));
  }

  private async samples(ns: string, selector: LabelSelector, usage: Map<string, Promise<ReadonlyMap<string, number>>>) {
    const pods = await this.opts.api.list<Pod>('pods', ns, { labelSelector: selectorText(selector) });
    let cpu = usage.get(ns);
    if (!cpu) { cpu = this.opts.metrics(ns); usage.set(ns, cpu); }
    return podSamples(pods.items, await cpu);
  }

  /** Write spec.replicas of the target, reading it again when someone else wrote it meanwhile. */
  private async setReplicas(resource: string, name: string, ns: string, replicas: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const t = await this.opts.api.get<Scalable>(resource, name, ns);
      try { await this.opts.api.update<Scalable>(resource, { ...t, spec: { ...t.spec, replicas } }); return; } catch (e) {
        if (!(e instanceof ApiError && e.code === 'Conflict') || attempt >= 4) throw e;
      }
    }
  }

  private async writeStatus(h: HorizontalPodAutoscaler, status: NonNullable<HorizontalPodAutoscaler['status']>): Promise<void> {
    for (let attempt = 0, cur = h; ; attempt++) {
      if (JSON.stringify(cur.status) === JSON.stringify(status)) return;
      try { await this.opts.api.updateStatus<HorizontalPodAutoscaler>('horizontalpodautoscalers', { ...cur, status }); return; } catch (e) {
        if (e instanceof ApiError && e.code === 'NotFound') return;
        if (!(e instanceof ApiError && e.code === 'Conflict') || attempt >= 4) throw e;
        cur = await this.opts.api.get<HorizontalPodAutoscaler>('horizontalpodautoscalers', h.metadata.name, h.metadata.namespace);
      }
    }
  }
}
