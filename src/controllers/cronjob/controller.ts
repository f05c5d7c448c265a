/**
 * The CronJob controller (client/kit): follows CronJobs and the Jobs they own, plans each CronJob
 * (plan.ts) on the injected clock, makes the due Job with an owner reference, deletes what Replace
 * and the history limits say, writes the status and records events, and looks again at the next
 * schedule time (the work queue's addAfter, so a ManualClock drives it in tests).
 */
import type { CronJob } from '../../api/schema/cronjob.js';
import type { Job } from '../../api/schema/job.js';
import {
  Controller, EventRecorder, Informer, controllerOf, deleteControlled, ignoreErrors, indexByControllerUid, isApiError, newControllerRef, retryOnConflict, splitKey, type ControllerInputs,
} from '../../client/kit/index.js';
import { planCronJob } from './plan.js';

/** Settings of the CronJob controller. */
export interface CronJobControllerOptions extends ControllerInputs {
  /** CronJobs reconciled at once (default 16). */
  workers?: number;
}

/** Kubernetes' annotation with the scheduled time of a CronJob's Job. */
export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const byOwner = 'cronjob-controller-uid';

/** Makes each CronJob's Jobs on its schedule. */
export class CronJobController extends Controller {
  private readonly events: EventRecorder;
  /** The Jobs, indexed by their controller's uid: a list of every Job per reconcile made 1,000 CronJobs quadratic. */
  private readonly jobs: Informer<Job>;

  constructor(private readonly opts: CronJobControllerOptions) {
    super(opts, { name: 'cronjob-controller', workers: opts.workers ?? 16 });
    this.events = new EventRecorder(opts.api, 'cronjob-controller', () => new Date(this.loop.clock.now()));
    this.jobs = this.loop.informer<Job>('jobs');
    this.jobs.addIndex(byOwner, indexByControllerUid);
  }

  /** Follow CronJobs and their Jobs (a finished Job updates its CronJob's status), then reconcile each. */
  async start(): Promise<void> {
    // A deleted CronJob's Jobs go with it (the cascade; the Job controller then deletes their pods).
    this.loop.watchOwners<CronJob>('cronjobs', 'jobs', {
      kind: 'CronJob', resyncMs: 60_000,
      onDeleted: async (cj) => deleteControlled(this.loop.api, 'jobs', cj, (await this.loop.api.list<Job>('jobs', cj.metadata.namespace)).items),
    });
    await this.loop.start();
  }

  /** One CronJob: read it and its Jobs, plan, write. */
  async reconcile(key: string): Promise<void> {
    const { api, clock } = this.loop;
    const { namespace, name } = splitKey(key);
    let cj: CronJob;
    try { cj = await api.get<CronJob>('cronjobs', name, namespace); } catch (e) { if (isApiError(e, 'NotFound')) return; throw e; }
    // The cache may lag a Job just made; its name is fixed by the schedule, so a second create is AlreadyExists.
    const all = this.jobs.hasSynced() ? this.jobs.byIndex(byOwner, cj.metadata.uid ?? '') : (await api.list<Job>('jobs', namespace)).items;
    const jobs = all.filter((j) => { const o = controllerOf(j); return o?.kind === 'CronJob' && o.uid === cj.metadata.uid; });
    const now = clock.now();
    const plan = planCronJob(cj, jobs, now);
    for (const e of plan.events) await this.events.record(cj, e.type, e.reason, e.message);
    for (const j of [...plan.deleteActive, ...plan.deleteHistory]) {
      await api.delete('jobs', j, namespace).catch(ignoreErrors('NotFound'));
      await this.events.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j}`);
    }
    if (plan.create) {
      const t = cj.spec.jobTemplate;
      const job: Job = {
        apiVersion: 'batch/v1', kind: 'Job',
        metadata: {
          name: plan.create.name, namespace,
          labels: { ...t.metadata?.labels },
          annotations: { ...t.metadata?.annotations, [scheduledTimestampAnnotation]: new Date(plan.create.scheduled).toISOString() },
          ownerReferences: [newControllerRef(cj)],
        },
        spec: structuredClone(t.spec),
      };
      try {
        const made = await api.create<Job>('jobs', job);
        plan.status.active = [...plan.status.active ?? [], { apiVersion: 'batch/v1', kind: 'Job', name: made.metadata.name, namespace, uid: made.metadata.uid }];
        await this.events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${made.metadata.name}`);
      } catch (e) {
        if (!isApiError(e, 'AlreadyExists')) {
          await this.events.record(cj, 'Warning', 'FailedCreate', `Error creating job: ${e instanceof Error ? e.message : String(e)}`);
          throw e;
        }
      }
    }
    if (JSON.stringify(cj.status ?? {}) !== JSON.stringify(plan.status)) {
      await retryOnConflict(async (attempt) => {
        const fresh = attempt === 0 ? cj : await api.get<CronJob>('cronjobs', name, namespace);
        await api.updateStatus<CronJob>('cronjobs', { ...fresh, status: plan.status });
      }).catch(ignoreErrors('NotFound'));
    }
    if (plan.requeueAfterMs !== undefined) this.loop.queue.addAfter(key, plan.requeueAfterMs);
  }
}
