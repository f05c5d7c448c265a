import type { Pod } from '../../api/pod.js';
import type { ApiObject } from '../../api/meta.js';
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';
import type { LabelSelector } from '../../api/schema/pod.js';
import { scalableKinds } from '../../api/kinds/hpa.js';
import { selectorText } from '../../api/label-selector.js';
import { Controller, EventRecorder, ignoreErrors, keyOf, retryOnConflict, splitKey, type ControllerInputs } from '../../client/kit/index.js';
import { recordScale, type ScaleHistory } from './behavior.js';
import { behaviorOf, decide, type ConditionUpdate } from './decide.js';
import { podSamples } from './pods.js';
import { nextStatus } from './status.js';

/** CPU usage of the running pods of a namespace, millicores by pod name (what metrics.k8s.io serves). */
export type PodCpuSource = (namespace: string) => Promise<ReadonlyMap<string, number>>;

/** Settings of the autoscaler controller. */
export interface HpaControllerOptions extends ControllerInputs {
  metrics: PodCpuSource;
  /** How often every autoscaler is evaluated (Kubernetes' default 15 s). */
  syncPeriodMs?: number;
}

/** A Deployment or ReplicaSet as far as scaling goes. */
type Scalable = ApiObject & { spec: { replicas?: number; selector: LabelSelector } };
/** Metrics reads shared by the syncs of one pass, one per namespace. */
type UsageReads = Map<string, Promise<ReadonlyMap<string, number>>>;

/**
 * Every sync period, for each HorizontalPodAutoscaler: read its target and the target's pods, ask the
 * metrics source for their CPU use, decide (decide.ts), write the target's spec.replicas, record an
 * Event, and write the autoscaler's status. New or changed autoscalers are evaluated at once.
 */
export class HpaController extends Controller {
  private readonly events: EventRecorder;
  /** Per autoscaler uid: recommendations and rescales the behavior rules look back on. */
  private readonly history = new Map<string, ScaleHistory>();
  private readonly synced = new Map<string, number>();
  /** The metrics reads of the current periodic pass; an autoscaler with a new spec reads its own. */
  private pass: UsageReads = new Map();
  private readonly fresh = new Set<string>();

  constructor(private readonly opts: HpaControllerOptions) {
    // One worker: syncs run one at a time, as one autoscaler's history must not be raced on.
    super(opts, { name: 'hpa', retryOnError: false });
    this.events = new EventRecorder(opts.api, 'horizontal-pod-autoscaler', () => new Date(this.loop.clock.now()));
  }

  /** Watch autoscalers: a new or changed spec is evaluated at once, and every autoscaler each sync period. */
  start(): void {
    const { loop } = this;
    const hpas = loop.informer<HorizontalPodAutoscaler>('horizontalpodautoscalers');
    loop.watch(hpas, {
      onAdd: (h) => this.specChanged(h),
      onUpdate: (_, h) => this.specChanged(h),
      onDelete: (h) => { this.history.delete(h.metadata.uid ?? ''); this.synced.delete(h.metadata.uid ?? ''); },
    });
    loop.every(this.opts.syncPeriodMs ?? 15_000, () => {
      // One metrics read per namespace per pass: a read may wait a second for a fresh rate.
      this.pass = new Map();
      for (const k of hpas.keys()) loop.queue.add(k);
    });
    void loop.start();
  }

  private specChanged(h: HorizontalPodAutoscaler): void {
    // Our own status writes come back as MODIFIED: only a new spec is worth an early sync.
    if (this.synced.get(h.metadata.uid ?? '') === h.metadata.generation) return;
    this.fresh.add(keyOf(h));
    this.loop.queue.add(keyOf(h));
  }

  /** Evaluate one autoscaler ("ns/name") as the API has it now. */
  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const usage = this.fresh.delete(key) ? new Map() : this.pass;
    const h = await this.opts.api.get<HorizontalPodAutoscaler>('horizontalpodautoscalers', name, namespace).catch(ignoreErrors('NotFound'));
    if (h) await this.sync(h, usage);
  }

  /** Evaluate every autoscaler once (what each period does; tests call it after moving the clock). */
  async syncAll(): Promise<void> {
    const list = await this.opts.api.list<HorizontalPodAutoscaler>('horizontalpodautoscalers');
    const live = new Set(list.items.map((h) => h.metadata.uid ?? ''));
    for (const uid of this.history.keys()) if (!live.has(uid)) { this.history.delete(uid); this.synced.delete(uid); }
    const usage: UsageReads = new Map();
    for (const h of list.items) {
      await this.sync(h, usage).catch((e: unknown) => this.loop.log(`${keyOf(h)}: ${String(e)}`));
    }
  }

  private async sync(h: HorizontalPodAutoscaler, usage: UsageReads): Promise<void> {
    const api = this.opts.api;
    const ns = h.metadata.namespace ?? 'default';
    const uid = h.metadata.uid ?? '';
    const now = this.loop.clock.now();
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
        this.loop.log(`${ns}/${h.metadata.name}: ${ref.kind.toLowerCase()}/${ref.name} ${current} -> ${d.desired} (${d.reason})`);
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

  private async samples(ns: string, selector: LabelSelector, usage: UsageReads) {
    const pods = await this.opts.api.list<Pod>('pods', ns, { labelSelector: selectorText(selector) });
    let cpu = usage.get(ns);
    if (!cpu) { cpu = this.opts.metrics(ns); usage.set(ns, cpu); }
    return podSamples(pods.items, await cpu);
  }

  /** Write spec.replicas of the target, reading it again when someone else wrote it meanwhile. */
  private async setReplicas(resource: string, name: string, ns: string, replicas: number): Promise<void> {
    await retryOnConflict(async () => {
      const t = await this.opts.api.get<Scalable>(resource, name, ns);
      await this.opts.api.update<Scalable>(resource, { ...t, spec: { ...t.spec, replicas } });
    });
  }

  private async writeStatus(h: HorizontalPodAutoscaler, status: NonNullable<HorizontalPodAutoscaler['status']>): Promise<void> {
    await retryOnConflict(async (attempt) => {
      const cur = attempt === 0 ? h : await this.opts.api.get<HorizontalPodAutoscaler>('horizontalpodautoscalers', h.metadata.name, h.metadata.namespace);
      if (JSON.stringify(cur.status) === JSON.stringify(status)) return;
      await this.opts.api.updateStatus<HorizontalPodAutoscaler>('horizontalpodautoscalers', { ...cur, status });
    }).catch(ignoreErrors('NotFound'));
  }
}
