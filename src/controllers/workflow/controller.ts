/** The Workflow controller: watches Workflows and their Jobs and runs reconcileWorkflow per change. */
import type { Job } from '../../api/schema/job.js';
import type { Workflow } from '../../api/schema/workflow.js';
import type { WatchEvent, ApiObject } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import { systemClock, type Clock } from '../../api/clock.js';
import type { ApiClient, Watcher } from '../../client/types.js';
import { KeyedWorkers } from '../job/workers.js';
import { reconcileWorkflow, type LogReader } from './reconcile.js';
import { WorkflowLabels } from './step-job.js';

/** Settings of the Workflow controller. */
export interface WorkflowControllerOptions {
  api: ApiClient;
  clock?: Clock;
  /** Reads a finished pod's log (step outputs); without it, steps with outputs succeed with a message instead. */
  readLog?: LogReader;
  /** Host directory for the workflows' shared volumes (ROOT/NAMESPACE/NAME, mounted at /workspace); absent: none. */
  hostRoot?: string;
  log?: (msg: string) => void;
  /** A failed reconcile (e.g. a node unreachable for a log) is tried again after this long (default 2 s). */
  retryMs?: number;
}

const keyOf = (o: { metadata: { name: string; namespace?: string } }): string => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/**
 * Runs each Workflow's DAG: creates the Jobs of steps whose dependencies are done, retries failed
 * steps, skips the dependents of failures, reads step outputs, and deletes a deleted Workflow's Jobs.
 */
export class WorkflowController {
  private readonly clock: Clock;
  private readonly log: (msg: string) => void;
  private readonly queue: KeyedWorkers;
  private readonly watchers: Watcher[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly opts: WorkflowControllerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? ((m) => console.error(`workflow-controller: ${m}`));
    this.queue = new KeyedWorkers(8, (k) => this.reconcile(k), (k, e) => {
      this.log(`workflow ${k}: ${e instanceof Error ? e.message : String(e)}`);
      const t = setTimeout(() => { this.timers.delete(t); this.enqueue(k); }, opts.retryMs ?? 2000);
      t.unref();
      this.timers.add(t);
    });
  }

  /** Delete Jobs whose Workflow is gone, then watch Workflows and their Jobs. */
  async start(): Promise<void> {
    await this.collectOrphans();
    this.watch<Workflow>('workflows', (e) => {
      if (e.type === 'DELETED') { void this.deleteJobsOf(e.object).catch((err: unknown) => this.log(`${keyOf(e.object)}: ${String(err)}`)); return; }
      this.enqueue(keyOf(e.object));
    });
    this.watch<Job>('jobs', (e) => {
      const wf = e.object.metadata.labels?.[WorkflowLabels.name];
      if (wf !== undefined) this.enqueue(`${e.object.metadata.namespace ?? 'default'}/${wf}`);
    });
  }

  stop(): void {
    this.stopped = true;
    this.queue.stop();
    for (const t of this.timers) clearTimeout(t);
    for (const w of this.watchers) w.stop();
  }

  /** Resolves once queued work is done. */
  idle(): Promise<void> { return this.queue.idle(); }

  /** One Workflow ("ns/name"); a Conflict retries on a fresh read. */
  async reconcile(key: string): Promise<void> {
    const i = key.indexOf('/');
    for (let attempt = 0; ; attempt++) {
      let wf: Workflow;
      try { wf = await this.opts.api.get<Workflow>('workflows', key.slice(i + 1), key.slice(0, i)); } catch (e) {
        if (e instanceof ApiError && e.code === 'NotFound') return;
        throw e;
      }
      if (wf.metadata.deletionTimestamp) return;
      try {
        await reconcileWorkflow({ api: this.opts.api, now: this.clock.now(), readLog: this.opts.readLog, hostRoot: this.opts.hostRoot }, wf);
        return;
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'Conflict') || attempt >= 4) throw e;
      }
    }
  }

  /** The cascade: a deleted Workflow's Jobs go (and the Job controller deletes their pods). */
  async deleteJobsOf(wf: Workflow): Promise<void> {
    const ns = wf.metadata.namespace ?? 'default';
    const jobs = await this.opts.api.list<Job>('jobs', ns, { labelSelector: `${WorkflowLabels.name}=${wf.metadata.name}` });
    for (const j of jobs.items) {
      if (!j.metadata.ownerReferences?.some((r) => r.uid === wf.metadata.uid)) continue;
      await this.opts.api.delete('jobs', j.metadata.name, ns).catch((e: unknown) => { if (!(e instanceof ApiError && e.code === 'NotFound')) throw e; });
    }
  }

  /** Jobs of Workflows deleted while no controller watched. */
  private async collectOrphans(): Promise<void> {
    const uids = new Set((await this.opts.api.list<Workflow>('workflows')).items.map((w) => w.metadata.uid));
    const jobs = await this.opts.api.list<Job>('jobs', undefined, { labelSelector: WorkflowLabels.name });
    for (const j of jobs.items) {
      const owner = j.metadata.ownerReferences?.find((r) => r.kind === 'Workflow');
      if (!owner || uids.has(owner.uid)) continue;
      this.log(`deleting job ${keyOf(j)}: its workflow ${owner.name} is gone`);
      await this.opts.api.delete('jobs', j.metadata.name, j.metadata.namespace).catch((e: unknown) => { if (!(e instanceof ApiError && e.code === 'NotFound')) throw e; });
    }
  }

  private watch<T extends ApiObject>(resource: string, onEvent: (e: WatchEvent<T>) => void): void {
    const w = this.opts.api.watch<T>(resource, undefined, { readOnly: true }, onEvent);
    this.watchers.push(w);
    w.done.catch((e: unknown) => {
      if (this.stopped) return;
      this.log(`${resource} watch ended (${String(e)}); starting again`);
      setTimeout(() => { if (!this.stopped) this.watch(resource, onEvent); }, 1000).unref();
    });
  }

  private enqueue(key: string): void {
    if (!this.stopped) this.queue.add(key);
  }
}
