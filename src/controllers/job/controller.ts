import type { Pod } from '../../api/pod.js';
import type { Job } from '../../api/schema/job.js';
import { JobLabels } from '../../api/job-labels.js';
import {
  Controller, controllerOf, onEachChange, ignoreErrors, isApiError, keyOf, queueKeyOf, retryOnConflict, splitKey, type ControllerInputs, type Informer,
} from '../../client/kit/index.js';
import { defaultBackoff } from './backoff.js';
import { planJob, type JobPlan } from './plan.js';
import { jobPod } from './pod-template.js';
import { finishedAt } from './pod-state.js';
import { JobReporter } from './reporter.js';

/** Settings of the Job controller. */
export interface JobControllerOptions extends ControllerInputs {
  /** First delay before a pod is made again after a failure (default 10 s); it doubles per failure. */
  backoffMs?: number;
  /** Longest such delay (default 6 minutes). */
  backoffMaxMs?: number;
  /** Record Events about Jobs (default true). */
  events?: boolean;
  /** Jobs reconciled at once (default 64); one Job is never reconciled twice at the same time. */
  workers?: number;
}

/** The pods index of the Job controller: "ns/job name" of a pod whose controller is a Job. */
const byJob = 'job-controller/job';
const jobKeyOfPod = (p: Pod): string | undefined => {
  const o = controllerOf(p);
  return o?.kind === 'Job' ? keyOf({ metadata: { namespace: p.metadata.namespace, name: o.name } }) : undefined;
};

/**
 * Runs each Job's pods to completion: keeps min(parallelism, remaining) pods active, counts finished
 * pods exactly once (their uids are recorded in status.countedPods in the same write that adds them
 * to succeeded/failed), backs off after failures, applies podFailurePolicy, activeDeadlineSeconds,
 * suspend and ttlSecondsAfterFinished, and deletes a deleted Job's pods.
 */
export class JobController extends Controller {
  private readonly reporter: JobReporter;
  /** Per Job uid: when we last counted a failure (the back-off is timed from it). */
  private readonly lastFailure = new Map<string, number>();
  /**
   * Set by start(): the pods (indexed by Job) and the Jobs from the shared informers, plus the answers
   * of our own creates and status writes. A reconcile reads its Job and pods here instead of the store;
   * a stale Job costs one Conflict, then the retry reads the store. Without start() (tests) both are read.
   */
  private pods: Informer<Pod> | undefined;
  private jobs: Informer<Job> | undefined;

  constructor(private readonly opts: JobControllerOptions) {
    super(opts, { name: 'job-controller', workers: opts.workers ?? 64 });
    this.reporter = new JobReporter(opts.api, () => this.loop.clock.now(), this.loop.log, opts.events !== false);
  }

  /** List pods and Jobs into the informers, then reconcile every Job and each one a change touches. */
  async start(): Promise<void> {
    const { loop } = this;
    const pods = loop.informer<Pod>('pods');
    pods.addIndex(byJob, (p) => { const k = jobKeyOfPod(p); return k === undefined ? [] : [k]; });
    const podChanged = (p: Pod): void => { const k = jobKeyOfPod(p); if (k !== undefined) loop.queue.add(k); };
    loop.watch(pods, onEachChange(podChanged));
    this.pods = pods;
    this.jobs = loop.watch(loop.informer<Job>('jobs'), queueKeyOf<Job>(loop.queue, (j) => this.deleted(j)));
    await loop.start();
  }

  /** Resolves once queued work, and the events it records, are done (tests wait on it). */
  override async idle(): Promise<void> {
    await super.idle();
    await this.reporter.flushed();
  }

  /** The cascade: a deleted Job's pods go with it. */
  private deleted(job: Job): void {
    const key = keyOf(job);
    this.reporter.forget(key);
    this.lastFailure.delete(job.metadata.uid ?? '');
    void this.deleteOwnedPods(job).catch((err: unknown) => this.loop.log(`${key}: ${String(err)}`));
  }

  /** Reconcile every Job once (tests call it after moving the clock). */
  async reconcileAll(): Promise<void> {
    const jobs = await this.opts.api.list<Job>('jobs');
    for (const j of jobs.items) await this.reconcile(keyOf(j));
  }

  /** One Job ("ns/name"). Safe to run again at any time; a Conflict retries on fresh reads. */
  async reconcile(key: string): Promise<void> {
    // NotFound on the first try may be a stale held copy of a re-created Job: the retry reads the store.
    await retryOnConflict((attempt) => this.step(key, attempt === 0), { alsoRetry: (e, attempt) => attempt === 0 && isApiError(e, 'NotFound') });
  }

  /** One pass over key's Job; cached: may start from the held copy (a retry reads the store). */
  private async step(key: string, cached: boolean): Promise<void> {
    const { namespace = 'default', name } = splitKey(key);
    const api = this.opts.api;
    let job: Job;
    const held = cached && this.jobs?.hasSynced() ? this.jobs.get(key) : undefined;
    if (held !== undefined) job = held;
    else try { job = await api.get<Job>('jobs', name, namespace); } catch (e) {
      ignoreErrors('NotFound')(e);
      this.reporter.forget(key);
      await this.podsOf(namespace, name, undefined);
      return;
    }
    // The pods are read after the Job, so a uid counted in its status but missing here is really gone.
    const pods = await this.podsOf(namespace, name, job.metadata.uid);
    const uid = job.metadata.uid ?? '';
    const now = this.loop.clock.now();
    const plan = planJob(job, pods, {
      now,
      backoff: { baseMs: this.opts.backoffMs ?? defaultBackoff.baseMs, maxMs: this.opts.backoffMaxMs ?? defaultBackoff.maxMs },
      lastFailureAt: this.lastFailure.get(uid) ?? lastFailedPodTime(pods),
    });
    if (plan.newFailures > 0) this.lastFailure.set(uid, now);
    if (plan.expired) {
      this.loop.log(`job ${key}: finished more than ttlSecondsAfterFinished ago; deleting it and its pods`);
      await api.delete('jobs', name, namespace).catch(ignoreErrors('NotFound'));
      await this.deleteOwnedPods(job);
      this.lastFailure.delete(uid);
      this.reporter.forget(key);
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
    // Come back when time alone will change the answer (back-off over, deadline, TTL).
    if (plan.requeueMs !== undefined) this.loop.queue.addAfter(key, Math.max(plan.requeueMs, 0) + 10);
  }

  private async act(job: Job, plan: JobPlan): Promise<void> {
    const api = this.opts.api;
    const ns = job.metadata.namespace ?? 'default';
    await Promise.all(plan.delete.map((p) => api.delete('pods', p.metadata.name, ns).catch(ignoreErrors('NotFound'))));
    const tried = await Promise.allSettled(plan.create.map(async (w) => {
      const pod = await api.create<Pod>('pods', jobPod(job, w));
      // Held at once, so a reconcile that runs before the watch delivers it does not make another.
      this.pods?.remember(pod);
      return pod;
    }));
    const made = tried.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    for (const p of made) this.reporter.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`);
    // A refused pod (a ResourceQuota, Pod Security) is no failure of the Job: it waits, says why in an
    // event as Kubernetes' FailedCreate, and the error retries the key with back-off.
    const refused = tried.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    for (const e of refused.slice(0, 1)) this.reporter.event(job, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
    for (const p of plan.delete) this.reporter.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
    if (refused.length > 0) throw refused[0];
  }

  /**
   * The pods the Job with this uid controls. Pods of an earlier Job of the same name (deleted while
   * this controller was down, or deleted and re-created) are deleted on the way.
   */
  private async podsOf(namespace: string, name: string, uid: string | undefined): Promise<Pod[]> {
    const all = this.pods?.hasSynced() ? this.pods.byIndex(byJob, keyOf({ metadata: { namespace, name } }))
      : (await this.opts.api.list<Pod>('pods', namespace, { labelSelector: `${JobLabels.jobName}=${name}` })).items;
    const owned: Pod[] = [];
    const orphans: Pod[] = [];
    for (const p of all) {
      const o = controllerOf(p);
      if (o?.kind !== 'Job' || o.name !== name) continue;
      if (uid !== undefined && o.uid === uid) owned.push(p);
      else if (!p.metadata.deletionTimestamp) orphans.push(p);
    }
    await Promise.all(orphans.map((p) => this.opts.api.delete('pods', p.metadata.name, namespace).catch(ignoreErrors('NotFound'))));
    return owned;
  }

  /** The cascade: pods controlled by a deleted Job go with it (and any of an earlier Job of its name). */
  private async deleteOwnedPods(job: Job): Promise<void> {
    await this.podsOf(job.metadata.namespace ?? 'default', job.metadata.name, undefined);
  }
}

/** After a restart: time the back-off from the newest failed pod's finish. */
function lastFailedPodTime(pods: Pod[]): number | undefined {
  const times = pods.filter((p) => p.status?.phase === 'Failed').map(finishedAt).filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}
