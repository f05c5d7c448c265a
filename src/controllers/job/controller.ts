import type { Pod } from '../../api/pod.js';
import type { Job } from '../../api/schema/job.js';
import type { WatchEvent } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import { JobLabels } from '../../api/job-labels.js';
import { systemClock, type Clock } from '../../api/clock.js';
import type { ApiClient, Watcher } from '../../client/types.js';
import { defaultBackoff } from './backoff.js';
import { planJob, type JobPlan } from './plan.js';
import { jobPod } from './pod-template.js';
import { finishedAt } from './pod-state.js';
import { PodCache } from './pod-cache.js';
import { KeyedWorkers } from './workers.js';
import { JobReporter } from './reporter.js';
import { WatchedObjects } from '../../client/watched-objects.js';

/** Settings of the Job controller. */
export interface JobControllerOptions {
  api: ApiClient;
  clock?: Clock;
  /** First delay before a pod is made again after a failure (default 10 s); it doubles per failure. */
  backoffMs?: number;
  /** Longest such delay (default 6 minutes). */
  backoffMaxMs?: number;
  log?: (msg: string) => void;
  /** Record Events about Jobs (default true). */
  events?: boolean;
  /** Jobs reconciled at once (default 64); one Job is never reconciled twice at the same time. */
  workers?: number;
}

const ignore = (...codes: string[]) => (e: unknown): void => {
  if (!(e instanceof ApiError && codes.includes(e.code))) throw e;
};
const keyOf = (o: { metadata: { name: string; namespace?: string } }): string => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
const controllerOf = (o: Pod): { kind: string; name: string; uid: string } | undefined => o.metadata.ownerReferences?.find((r) => r.controller === true);

/**
 * Runs each Job's pods to completion: keeps min(parallelism, remaining) pods active, counts finished
 * pods exactly once (their uids are recorded in status.countedPods in the same write that adds them
 * to succeeded/failed), backs off after failures, applies podFailurePolicy, activeDeadlineSeconds,
 * suspend and ttlSecondsAfterFinished, and deletes a deleted Job's pods.
 */
export class JobController {
  private readonly clock: Clock;
  private readonly log: (msg: string) => void;
  private readonly reporter: JobReporter;
  private readonly queue: KeyedWorkers;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per Job uid: when we last counted a failure (the back-off is timed from it). */
  private readonly lastFailure = new Map<string, number>();
  private readonly watchers: Watcher[] = [];
  private stopped = false;
  /** Set once start() has listed the pods; until then (tests driving reconcile) pods are listed. */
  private cache: PodCache | undefined;
  /**
   * The Jobs from a list and a watch (and the answers of our own status writes), read-only, once
   * start() runs: a reconcile reads its Job here instead of the store. A stale copy costs one
   * Conflict, then the retry reads the store.
   */
  private jobs: WatchedObjects<Job> | undefined;

  constructor(private readonly opts: JobControllerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? ((m) => console.error(`job-controller: ${m}`));
    this.reporter = new JobReporter(opts.api, () => this.clock.now(), this.log, opts.events !== false);
    this.queue = new KeyedWorkers(opts.workers ?? 64, (k) => this.reconcile(k), (k, e) => this.log(`job ${k}: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** List the pods into the cache, then watch pods and Jobs; each change queues its Job. */
  async start(): Promise<void> {
    const cache = new PodCache();
    const list = await this.opts.api.list<Pod>('pods');
    for (const p of list.items) cache.upsert(p);
    this.cache = cache;
    this.watch<Pod>('pods', list.metadata.resourceVersion, (e) => {
      const key = e.type === 'DELETED' ? cache.remove(e.object) : cache.upsert(e.object);
      if (key !== undefined) this.enqueue(key);
    });
    // Every listed Job is reconciled (after a start, or a broken watch), then each change to one.
    const jobs = new WatchedObjects<Job>(this.opts.api, 'jobs', (e) => {
      const key = keyOf(e.object);
      if (e.type === 'DELETED') { this.forget(key); this.lastFailure.delete(e.object.metadata.uid ?? ''); void this.deleteOwnedPods(e.object).catch((err: unknown) => this.log(`${key}: ${String(err)}`)); return; }
      this.enqueue(key);
    }, this.log, (items) => { for (const j of items) this.enqueue(keyOf(j)); });
    this.jobs = jobs;
    await jobs.start();
  }

  stop(): void {
    this.stopped = true;
    this.queue.stop();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const w of this.watchers) w.stop();
    this.jobs?.stop();
  }

  /** Resolves once queued work, and the events it records, are done (tests wait on it). */
  async idle(): Promise<void> {
    await this.queue.idle();
    await this.reporter.flushed();
  }

  private forget(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.reporter.forget(key);
  }

  /** Watch from rv; a broken stream restarts after a second, replaying (pods: re-listing) from scratch. */
  private watch<T extends Pod>(resource: string, from: string | undefined, onEvent: (e: WatchEvent<T>) => void): void {
    // Read-only: the pod cache keeps the objects as they come and nothing here changes them.
    const w = this.opts.api.watch<T>(resource, undefined, { readOnly: true, ...(from === undefined ? {} : { resourceVersion: from }) }, onEvent);
    this.watchers.push(w);
    w.done.catch((e: unknown) => {
      if (this.stopped) return;
      this.log(`${resource} watch ended (${String(e)}); starting again`);
      // Replaying every current object as ADDED refreshes the pod cache; deletions missed meanwhile
      // leave stale entries, which only delay new pods (they look active) and never double-count.
      setTimeout(() => { if (!this.stopped) this.watch(resource, undefined, onEvent); }, 1000).unref();
    });
  }

  private enqueue(key: string): void {
    if (!this.stopped) this.queue.add(key);
  }

  /** Reconcile every Job once (tests call it after moving the clock). */
  async reconcileAll(): Promise<void> {
    const jobs = await this.opts.api.list<Job>('jobs');
    for (const j of jobs.items) await this.reconcile(keyOf(j));
  }

  /** One Job ("ns/name"). Safe to run again at any time; a Conflict retries on fresh reads. */
  async reconcile(key: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try { await this.step(key, attempt === 0); return; } catch (e) {
        if (!(e instanceof ApiError && (e.code === 'Conflict' || (e.code === 'NotFound' && attempt === 0))) || attempt >= 4) throw e;
      }
    }
  }

  /** One pass over key's Job; cached: may start from the held copy (a retry reads the store). */
  private async step(key: string, cached: boolean): Promise<void> {
    const i = key.indexOf('/');
    const namespace = key.slice(0, i);
    const name = key.slice(i + 1);
    const api = this.opts.api;
    let job: Job;
    const held = cached ? this.jobs?.get(namespace, name) : undefined;
    if (held !== undefined) job = held;
    else try { job = await api.get<Job>('jobs', name, namespace); } catch (e) {
      ignore('NotFound')(e);
      this.forget(key);
      await this.podsOf(namespace, name, undefined);
      return;
    }
    // The pods are read after the Job, so a uid counted in its status but missing here is really gone.
    const pods = await this.podsOf(namespace, name, job.metadata.uid);
    const uid = job.metadata.uid ?? '';
    const now = this.clock.now();
    const plan = planJob(job, pods, {
      now,
      backoff: { baseMs: this.opts.backoffMs ?? defaultBackoff.baseMs, maxMs: this.opts.backoffMaxMs ?? defaultBackoff.maxMs },
      lastFailureAt: this.lastFailure.get(uid) ?? lastFailedPodTime(pods),
    });
    if (plan.newFailures > 0) this.lastFailure.set(uid, now);
    if (plan.expired) {
      this.log(`job ${key}: finished more than ttlSecondsAfterFinished ago; deleting it and its pods`);
      await api.delete('jobs', name, namespace).catch(ignore('NotFound'));
      await this.deleteOwnedPods(job);
      this.lastFailure.delete(uid);
      this.forget(key);
      return;
    }
    // The status write comes first: it is what makes each count happen once.
    let updated = job;
    if (JSON.stringify(plan.status) !== JSON.stringify(job.status ?? {})) {
      updated = await api.updateStatus<Job>('jobs', { ...job, status: plan.status });
      this.jobs?.remember(updated);
    }
    await this.act(updated, plan);
    this.reporter.transition(job, updated, plan);
    this.schedule(key, plan.requeueMs);
  }

  private async act(job: Job, plan: JobPlan): Promise<void> {
    const api = this.opts.api;
    const ns = job.metadata.namespace ?? 'default';
    await Promise.all(plan.delete.map((p) => api.delete('pods', p.metadata.name, ns).catch(ignore('NotFound'))));
    const made = await Promise.all(plan.create.map(async (w) => {
      const pod = await api.create<Pod>('pods', jobPod(job, w));
      this.cache?.upsert(pod);
      return pod;
    }));
    for (const p of made) this.reporter.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`);
    for (const p of plan.delete) this.reporter.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
  }

  /** Come back when time alone will change the answer (back-off over, deadline, TTL). */
  private schedule(key: string, ms: number | undefined): void {
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    this.timers.delete(key);
    if (ms === undefined || this.stopped) return;
    const t = setTimeout(() => { this.timers.delete(key); this.enqueue(key); }, Math.min(Math.max(ms, 0) + 10, 2 ** 31 - 1));
    t.unref();
    this.timers.set(key, t);
  }

  /**
   * The pods the Job with this uid controls. Pods of an earlier Job of the same name (deleted while
   * this controller was down, or deleted and re-created) are deleted on the way.
   */
  private async podsOf(namespace: string, name: string, uid: string | undefined): Promise<Pod[]> {
    const all = this.cache ? this.cache.pods(`${namespace}/${name}`)
      : (await this.opts.api.list<Pod>('pods', namespace, { labelSelector: `${JobLabels.jobName}=${name}` })).items;
    const owned: Pod[] = [];
    const orphans: Pod[] = [];
    for (const p of all) {
      const o = controllerOf(p);
      if (o?.kind !== 'Job' || o.name !== name) continue;
      if (uid !== undefined && o.uid === uid) owned.push(p);
      else if (!p.metadata.deletionTimestamp) orphans.push(p);
    }
    await Promise.all(orphans.map((p) => this.opts.api.delete('pods', p.metadata.name, namespace).catch(ignore('NotFound'))));
    return owned;
  }

  /** The cascade: pods controlled by a deleted Job go with it. */
  private async deleteOwnedPods(job: Job): Promise<void> {
    await this.podsOf(job.metadata.namespace ?? 'default', job.metadata.name, undefined);
  }
}

/** After a restart: time the back-off from the newest failed pod's finish. */
function lastFailedPodTime(pods: Pod[]): number | undefined {
  const times = pods.filter((p) => p.status?.phase === 'Failed').map(finishedAt).filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}

