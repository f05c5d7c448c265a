import type { ApiObject } from '../../api/meta.js';
import type { Job } from '../../api/schema/job.js';
import type { Node } from '../../api/node.js';
import type { PriorityClass } from '../../api/schema/priority-class.js';
import { ADMITTED_AT_ANNOTATION, QUEUE_WAITING_ANNOTATION, type Queue, type QueueStatus } from '../../api/schema/queue.js';
import { ApiError } from '../../api/errors.js';
import { systemClock, type Clock } from '../../api/clock.js';
import type { ApiClient } from '../../client/types.js';
import { EventRecorder } from '../../client/events.js';
import { planAdmission, type Plan } from './plan.js';
import { clusterCapacity, formatOne, type Res } from './resources.js';
import { jobInfo, jobKey, queueInfo } from './inputs.js';
import { WatchedObjects } from '../../client/watched-objects.js';

/** Settings of the queue controller. */
export interface QueueControllerOptions {
  api: ApiClient;
  clock?: Clock;
  /** How long a queue's head may wait while smaller jobs behind it are backfilled (default 60 s). */
  backfillWindowMs?: number;
  /** Passes also run on this period, so time-based rules (the backfill window) take effect (default 5 s). */
  resyncMs?: number;
  log?: (msg: string) => void;
}

/** What one pass did (tests, logs). */
export interface PassResult { admitted: string[]; preempted: string[]; plan: Plan }

const allocatedText = (r: Res): { cpu: string; memory: string; gpu: string } => ({ cpu: formatOne('cpu', r.cpu), memory: formatOne('memory', r.memory), gpu: formatOne('gpu', r.gpu) });

/**
 * Admits queued Jobs (lantern.dev/queue-name) by unsuspending them, fairly across Queues (DRF by
 * weight) within quotas and cohorts; suspends borrowed Jobs when a lender reclaims its quota. Every
 * pass reads the whole picture (queues, jobs, nodes, priority classes) and runs the pure plan.
 */
export class QueueController {
  private readonly clock: Clock;
  private readonly log: (msg: string) => void;
  private readonly events: EventRecorder;
  /** Set by start(): the four resources from watches; without it (tests) each pass lists them. */
  private watched: { queues: WatchedObjects<Queue>; jobs: WatchedObjects<Job>; nodes: WatchedObjects<Node>; classes: WatchedObjects<PriorityClass> } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PassResult> | undefined;
  private again = false;
  private stopped = false;
  /** Queues that exist (no queue: nothing to admit, no pass). */
  private readonly queueNames = new Set<string>();
  /** What each node contributes to capacity, so heartbeats do not trigger passes. */
  private readonly nodeShapes = new Map<string, string>();

  constructor(private readonly opts: QueueControllerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? ((m) => console.error(`queue-controller: ${m}`));
    this.events = new EventRecorder(opts.api, 'queue-controller', () => new Date(this.clock.now()));
  }

  /**
   * List and watch queues, jobs, nodes and priority classes into memory; each change (and each
   * resync) runs a pass over them. A pass is a pure plan over the whole picture, so it reads memory,
   * not the store: thousands of Jobs are not decoded again per pass.
   */
  start(): void {
    const log = (m: string): void => this.log(m);
    const w = {
      queues: new WatchedObjects<Queue>(this.opts.api, 'queues', (e) => {
        if (e.type === 'DELETED') this.queueNames.delete(e.object.metadata.name); else this.queueNames.add(e.object.metadata.name);
        this.kick();
      }, log),
      jobs: new WatchedObjects<Job>(this.opts.api, 'jobs', () => this.kick(), log),
      nodes: new WatchedObjects<Node>(this.opts.api, 'nodes', (e) => { if (this.capacityChanged(e.type, e.object)) this.kick(); }, log),
      classes: new WatchedObjects<PriorityClass>(this.opts.api, 'priorityclasses', () => this.kick(), log),
    };
    this.watched = w;
    void Promise.all([w.queues.start(), w.jobs.start(), w.nodes.start(), w.classes.start()]).then(() => {
      for (const q of w.queues.items()) this.queueNames.add(q.metadata.name);
      for (const n of w.nodes.items()) this.capacityChanged('ADDED', n);
      this.kick();
    }, (e: unknown) => this.log(`listing for the first pass failed: ${String(e)}`));
    this.timer = setInterval(() => this.kick(), this.opts.resyncMs ?? 5_000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.watched) for (const w of Object.values(this.watched)) w.stop();
  }

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

  private kick(): void {
    if (this.stopped || this.queueNames.size === 0) return;
    if (this.running) { this.again = true; return; }
    this.reconcile().catch((e: unknown) => this.log(`pass failed: ${String(e)}`)).finally(() => {
      if (this.again) { this.again = false; this.kick(); }
    });
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
    if (w && w.queues.ready && w.jobs.ready && w.nodes.ready && w.classes.ready) {
      return { queues: { items: w.queues.items() }, jobs: { items: w.jobs.items() }, nodes: { items: w.nodes.items() }, classes: { items: w.classes.items() } };
    }
    const api = this.opts.api;
    const [queues, jobs, nodes, classes] = await Promise.all([
      api.list<Queue>('queues'), api.list<Job>('jobs'), api.list<Node>('nodes'), api.list<PriorityClass>('priorityclasses'),
    ]);
    return { queues, jobs, nodes, classes };
  }

  private async pass(): Promise<PassResult> {
    const { queues, jobs, nodes, classes } = await this.inputs();
    const now = this.clock.now();
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
    if (!admitting) this.again = true;
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
    let job = listed;
    for (let attempt = 0; ; attempt++) {
      const ann = { ...job.metadata.annotations };
      if (admittedAt === undefined) delete ann[ADMITTED_AT_ANNOTATION]; else ann[ADMITTED_AT_ANNOTATION] = admittedAt;
      if (waiting === undefined) delete ann[QUEUE_WAITING_ANNOTATION]; else ann[QUEUE_WAITING_ANNOTATION] = waiting;
      const same = job.spec.suspend === !run && JSON.stringify(ann) === JSON.stringify(job.metadata.annotations ?? {});
      if (same) return false;
      try {
        const written = await this.opts.api.update<Job>('jobs', { ...job, metadata: { ...job.metadata, annotations: ann }, spec: { ...job.spec, suspend: !run } });
        // The next pass must see this write even if its watch event has not arrived yet.
        this.watched?.jobs.remember(written);
        return true;
      } catch (e) {
        if (!(e instanceof ApiError && (e.code === 'Conflict' || e.code === 'NotFound'))) throw e;
        // Most conflicts are the Job controller writing the Job's status: the plan still holds while
        // its spec (generation) and its admission are those the pass saw, so write it over the fresh copy.
        const fresh = e.code === 'Conflict' && attempt === 0 ? await this.opts.api.get<Job>('jobs', job.metadata.name, job.metadata.namespace).catch(() => undefined) : undefined;
        if (fresh && fresh.metadata.generation === listed.metadata.generation
          && fresh.metadata.annotations?.[ADMITTED_AT_ANNOTATION] === listed.metadata.annotations?.[ADMITTED_AT_ANNOTATION]) { job = fresh; continue; }
        // Otherwise the Job changed or went away since the list: the watch event brings the next pass.
        this.again = true;
        return false;
      }
    }
  }

  private async writeStatus(q: Queue, plan: Plan): Promise<void> {
    const s = plan.queues.get(q.metadata.name);
    if (!s) return;
    const round = (n: number): number => Math.round(n * 1000) / 1000;
    const status: QueueStatus = { pending: s.pending, admitted: s.admitted, allocated: allocatedText(s.allocated), deservedShare: round(s.deservedShare), dominantShare: round(s.dominantShare), borrowing: s.borrowing };
    if (JSON.stringify(status) === JSON.stringify(q.status ?? {})) return;
    try {
      const written = await this.opts.api.updateStatus<Queue>('queues', { ...q, status } as Queue & ApiObject);
      this.watched?.queues.remember(written);
    } catch (e) {
      if (!(e instanceof ApiError && (e.code === 'Conflict' || e.code === 'NotFound'))) throw e;
    }
  }
}
