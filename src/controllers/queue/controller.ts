import type { ApiObject } from '../../api/meta.js';
import type { Job } from '../../api/schema/job.js';
import type { Node } from '../../api/node.js';
import type { PriorityClass } from '../../api/schema/priority-class.js';
import { ADMITTED_AT_ANNOTATION, QUEUE_WAITING_ANNOTATION, type Queue, type QueueStatus } from '../../api/schema/queue.js';
import { ApiError } from '../../api/errors.js';
import {
  ControllerLoop, EventRecorder, ignoreErrors, isApiError, keyOf as jobKey, onEachChange, retryOnConflict, type ControllerInputs, type Informer,
} from '../../client/kit/index.js';
import { planAdmission, type Plan } from './plan.js';
import { clusterCapacity, formatOne, type Res } from './resources.js';
import { jobInfo, queueInfo } from './inputs.js';

/** Settings of the queue controller. */
export interface QueueControllerOptions extends ControllerInputs {
  /** How long a queue's head may wait while smaller jobs behind it are backfilled (default 60 s). */
  backfillWindowMs?: number;
  /** Passes also run on this period, so time-based rules (the backfill window) take effect (default 5 s). */
  resyncMs?: number;
}

/** What one pass did (tests, logs). */
export interface PassResult { admitted: string[]; preempted: string[]; plan: Plan }

/** The work queue's only key: a pass plans over every queue at once. */
const PASS = 'pass';

const allocatedText = (r: Res): { cpu: string; memory: string; gpu: string } => ({ cpu: formatOne('cpu', r.cpu), memory: formatOne('memory', r.memory), gpu: formatOne('gpu', r.gpu) });

/**
 * Admits queued Jobs (lantern.dev/queue-name) by unsuspending them, fairly across Queues (DRF by
 * weight) within quotas and cohorts; suspends borrowed Jobs when a lender reclaims its quota. Every
 * pass reads the whole picture (queues, jobs, nodes, priority classes) and runs the pure plan.
 */
export class QueueController {
  private readonly loop: ControllerLoop;
  private readonly events: EventRecorder;
  /** Set by start(): the four resources from the informers; without it (tests) each pass lists them. */
  private watched: { queues: Informer<Queue>; jobs: Informer<Job>; nodes: Informer<Node>; classes: Informer<PriorityClass> } | undefined;
  /** Serialises passes run by hand (tests) with those the queue runs. */
  private running: Promise<PassResult> | undefined;
  /** What each node contributes to capacity, so heartbeats do not trigger passes. */
  private readonly nodeShapes = new Map<string, string>();

  constructor(private readonly opts: QueueControllerOptions) {
    // One key, one worker: passes run one at a time, and changes during a pass run one more pass.
    this.loop = new ControllerLoop(opts, async () => { await this.reconcile(); }, { name: 'queue-controller', retryOnError: false });
    this.events = new EventRecorder(opts.api, 'queue-controller', () => new Date(this.loop.clock.now()));
  }

  /**
   * Follow queues, jobs, nodes and priority classes through the informers; each change (and each
   * resync) runs a pass over them. A pass is a pure plan over the whole picture, so it reads memory,
   * not the store: thousands of Jobs are not decoded again per pass.
   */
  start(): void {
    const { loop } = this;
    const kick = onEachChange<ApiObject>(() => this.kick());
    const node = (type: string) => (n: Node): void => { if (this.capacityChanged(type, n)) this.kick(); };
    this.watched = {
      queues: loop.watch<Queue>(loop.informer('queues'), kick),
      jobs: loop.watch<Job>(loop.informer('jobs'), kick),
      nodes: loop.watch(loop.informer<Node>('nodes'), { onAdd: node('ADDED'), onUpdate: (_, n) => node('MODIFIED')(n), onDelete: node('DELETED') }),
      classes: loop.watch<PriorityClass>(loop.informer('priorityclasses'), kick),
    };
    loop.every(this.opts.resyncMs ?? 5_000, () => this.kick());
    // The queue runs once every informer has listed: the first pass sees the whole picture.
    void loop.start();
  }

  stop(): void { this.loop.stop(); }

  /** A node came, went, or changed what it offers (allocatable, readiness, schedulability). */
  private capacityChanged(type: string, node: Node): boolean {
    const name = node.metadata.name;
    if (type === 'DELETED') return this.nodeShapes.delete(name);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    const shape = JSON.stringify([node.status?.allocatable ?? node.status?.capacity, ready, node.spec?.unschedulable ?? false]);
    if (this.nodeShapes.get(name) === shape) return false;
    this.nodeShapes.set(name, shape);
    return true;
  }

  /** Ask for a pass; none while no queue exists (nothing to admit). */
  private kick(): void {
    if (this.watched && this.watched.queues.size > 0) this.loop.queue.add(PASS);
  }

  /** One pass: plan, then write admissions, preemptions, wait reasons and queue status. Passes run one at a time. */
  async reconcile(): Promise<PassResult> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.pass();
    this.running = run;
    try { return await run; } finally { this.running = undefined; }
  }

  /** The four inputs of a pass: from memory once start() has listed them, else listed now. */
  private async inputs(): Promise<{ queues: { items: Queue[] }; jobs: { items: Job[] }; nodes: { items: Node[] }; classes: { items: PriorityClass[] } }> {
    const w = this.watched;
    if (w && w.queues.hasSynced() && w.jobs.hasSynced() && w.nodes.hasSynced() && w.classes.hasSynced()) {
      return { queues: { items: w.queues.list() }, jobs: { items: w.jobs.list() }, nodes: { items: w.nodes.list() }, classes: { items: w.classes.list() } };
    }
    const api = this.opts.api;
    const [queues, jobs, nodes, classes] = await Promise.all([
      api.list<Queue>('queues'), api.list<Job>('jobs'), api.list<Node>('nodes'), api.list<PriorityClass>('priorityclasses'),
    ]);
    return { queues, jobs, nodes, classes };
  }

  private async pass(): Promise<PassResult> {
    const { queues, jobs, nodes, classes } = await this.inputs();
    const now = this.loop.clock.now();
    const infos = jobs.items.map((j) => [j, jobInfo(j, classes.items)] as const);
    const plan = planAdmission({
      capacity: clusterCapacity(nodes.items),
      queues: queues.items.map(queueInfo),
      jobs: infos.flatMap(([, i]) => (i ? [i] : [])),
      now,
      backfillWindowMs: this.opts.backfillWindowMs ?? 60_000,
    });
    const admit = new Set(plan.admit);
    const preempt = new Map(plan.preempt.map((p) => [p.key, p.reason]));
    const result: PassResult = { admitted: [], preempted: [], plan };
    // Preemptions first: an admission that needs their room must not happen if one of them did not
    // (a Job written meanwhile), or the queues would hold more than their quotas.
    const victims = infos.filter(([job]) => preempt.has(jobKey(job)));
    const suspended = await Promise.all(victims.map(async ([job]) => {
      const why = preempt.get(jobKey(job))!;
      if (!await this.write(job, false, undefined, why)) return false;
      result.preempted.push(jobKey(job));
      void this.events.record(job, 'Normal', 'Preempted', why).catch(() => undefined);
      return true;
    }));
    const admitting = suspended.every(Boolean);
    if (!admitting) this.kick();
    await Promise.all(infos.map(async ([job, info]) => {
      if (!info) return;
      const key = jobKey(job);
      if (admit.has(key)) {
        if (admitting && await this.write(job, true, new Date(now).toISOString(), undefined)) result.admitted.push(key);
      } else if (!preempt.has(key) && info.admittedAt === undefined) {
        await this.write(job, false, undefined, plan.waiting.get(key));
      }
    }));
    await Promise.all(queues.items.map((q) => this.writeStatus(q, plan)));
    return result;
  }

  /** Set suspend and the two annotations; only writes when something changes. */
  private async write(listed: Job, run: boolean, admittedAt: string | undefined, waiting: string | undefined): Promise<boolean> {
    try {
      return await retryOnConflict(async (attempt) => {
        const job = attempt === 0 ? listed : await this.stillPlanned(listed);
        const ann = { ...job.metadata.annotations };
        if (admittedAt === undefined) delete ann[ADMITTED_AT_ANNOTATION]; else ann[ADMITTED_AT_ANNOTATION] = admittedAt;
        if (waiting === undefined) delete ann[QUEUE_WAITING_ANNOTATION]; else ann[QUEUE_WAITING_ANNOTATION] = waiting;
        const same = job.spec.suspend === !run && JSON.stringify(ann) === JSON.stringify(job.metadata.annotations ?? {});
        if (same) return false;
        const written = await this.opts.api.update<Job>('jobs', { ...job, metadata: { ...job.metadata, annotations: ann }, spec: { ...job.spec, suspend: !run } });
        // The next pass must see this write even if its watch event has not arrived yet.
        this.watched?.jobs.remember(written);
        return true;
      }, { attempts: 2 });
    } catch (e) {
      if (!isApiError(e, 'Conflict', 'NotFound')) throw e;
      // The Job changed or went away since the list: the watch event brings the next pass.
      this.kick();
      return false;
    }
  }

  /**
   * After a Conflict: most are the Job controller writing the Job's status, and the plan still holds
   * while its spec (generation) and its admission are those the pass saw, so it is written over the
   * fresh copy; otherwise this is a Conflict too.
   */
  private async stillPlanned(listed: Job): Promise<Job> {
    const fresh = await this.opts.api.get<Job>('jobs', listed.metadata.name, listed.metadata.namespace).catch(() => undefined);
    if (fresh && fresh.metadata.generation === listed.metadata.generation
      && fresh.metadata.annotations?.[ADMITTED_AT_ANNOTATION] === listed.metadata.annotations?.[ADMITTED_AT_ANNOTATION]) return fresh;
    throw new ApiError('Conflict', `job ${jobKey(listed)} changed since the pass planned it`);
  }

  private async writeStatus(q: Queue, plan: Plan): Promise<void> {
    const s = plan.queues.get(q.metadata.name);
    if (!s) return;
    const round = (n: number): number => Math.round(n * 1000) / 1000;
    const status: QueueStatus = { pending: s.pending, admitted: s.admitted, allocated: allocatedText(s.allocated), deservedShare: round(s.deservedShare), dominantShare: round(s.dominantShare), borrowing: s.borrowing };
    if (JSON.stringify(status) === JSON.stringify(q.status ?? {})) return;
    const written = await this.opts.api.updateStatus<Queue>('queues', { ...q, status } as Queue & ApiObject).catch(ignoreErrors('Conflict', 'NotFound'));
    if (written) this.watched?.queues.remember(written);
  }
}
