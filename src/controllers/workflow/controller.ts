/** The Workflow controller: watches Workflows and their Jobs and runs reconcileWorkflow per change. */
import type { Job } from '../../api/schema/job.js';
import type { Workflow } from '../../api/schema/workflow.js';
import { Controller, deleteControlled, onEachChange, ignoreErrors, keyOf, queueKeyOf, retryOnConflict, splitKey, type ControllerInputs } from '../../client/kit/index.js';
import { reconcileWorkflow, type LogReader } from './reconcile.js';
import { WorkflowLabels } from './step-job.js';

/** Settings of the Workflow controller. */
export interface WorkflowControllerOptions extends ControllerInputs {
  /** Reads a finished pod's log (step outputs); without it, steps with outputs succeed with a message instead. */
  readLog?: LogReader;
  /** Host directory for the workflows' shared volumes (ROOT/NAMESPACE/NAME, mounted at /workspace); absent: none. */
  hostRoot?: string;
  /** A failed reconcile (e.g. a node unreachable for a log) is tried again after this long (default 2 s). */
  retryMs?: number;
}

/**
 * Runs each Workflow's DAG: creates the Jobs of steps whose dependencies are done, retries failed
 * steps, skips the dependents of failures, reads step outputs, and deletes a deleted Workflow's Jobs.
 */
export class WorkflowController extends Controller {
  constructor(private readonly opts: WorkflowControllerOptions) {
    super(opts, { name: 'workflow-controller', workers: 8, backoff: { baseMs: opts.retryMs ?? 2000, maxMs: opts.retryMs ?? 2000 } });
  }

  /** Watch Workflows and their Jobs; delete Jobs whose Workflow is gone, once both are listed. */
  async start(): Promise<void> {
    const { loop } = this;
    const workflows = loop.watch(loop.informer<Workflow>('workflows'), queueKeyOf<Workflow>(loop.queue, (wf) => {
      void this.deleteJobsOf(wf).catch((err: unknown) => loop.log(`${keyOf(wf)}: ${String(err)}`));
    }));
    const jobChanged = (j: Job): void => {
      const wf = j.metadata.labels?.[WorkflowLabels.name];
      if (wf !== undefined) loop.queue.add(keyOf({ metadata: { namespace: j.metadata.namespace, name: wf } }));
    };
    const jobs = loop.watch(loop.informer<Job>('jobs'), onEachChange(jobChanged));
    await loop.start();
    await this.collectOrphans(new Set(workflows.list().map((w) => w.metadata.uid)), jobs.list());
  }

  /** One Workflow ("ns/name"); a Conflict retries on a fresh read. */
  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    await retryOnConflict(async () => {
      const wf = await this.opts.api.get<Workflow>('workflows', name, namespace);
      if (wf.metadata.deletionTimestamp) return;
      await reconcileWorkflow({ api: this.opts.api, now: this.loop.clock.now(), readLog: this.opts.readLog, hostRoot: this.opts.hostRoot }, wf);
    }).catch(ignoreErrors('NotFound'));
  }

  /** The cascade: a deleted Workflow's Jobs go (and the Job controller deletes their pods). */
  async deleteJobsOf(wf: Workflow): Promise<void> {
    const jobs = await this.opts.api.list<Job>('jobs', wf.metadata.namespace ?? 'default', { labelSelector: `${WorkflowLabels.name}=${wf.metadata.name}` });
    await deleteControlled(this.opts.api, 'jobs', wf, jobs.items);
  }

  /** Jobs of Workflows deleted while no controller watched. */
  private async collectOrphans(workflows: Set<string | undefined>, jobs: Job[]): Promise<void> {
    for (const j of jobs) {
      const owner = j.metadata.ownerReferences?.find((r) => r.kind === 'Workflow');
      if (!owner || workflows.has(owner.uid) || j.metadata.labels?.[WorkflowLabels.name] === undefined) continue;
      this.loop.log(`deleting job ${keyOf(j)}: its workflow ${owner.name} is gone`);
      await this.opts.api.delete('jobs', j.metadata.name, j.metadata.namespace).catch(ignoreErrors('NotFound'));
    }
  }
}
