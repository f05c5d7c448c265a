/** One pass over a Workflow: observe its Jobs, advance the DAG, create Jobs, write the status. */
import type { Job } from '../../api/schema/job.js';
import type { StepPhase, Workflow, WorkflowStep, WorkflowStepStatus } from '../../api/schema/workflow.js';
import type { Pod } from '../../api/pod.js';
import { ApiError } from '../../api/errors.js';
import { JobLabels } from '../../api/job-labels.js';
import type { ApiClient } from '../../client/types.js';
import { readySteps, settleSkips, workflowPhase } from './dag.js';
import { stepVars } from './substitute.js';
import { parseOutput, outputTailLines } from './output.js';
import { stepJob, stepJobName, WorkflowLabels } from './step-job.js';

/** Reads a finished pod's last log lines (the API's pod log endpoint). */
export type LogReader = (namespace: string, pod: string, container: string, tailLines: number) => Promise<string>;

/** What a pass needs. */
export interface PassContext {
  api: ApiClient;
  now: number;
  readLog?: LogReader;
  /** Host directory under which each workflow gets NAMESPACE/NAME; absent: no shared volume. */
  hostRoot?: string;
}

/** A Job's state as a step phase. */
export function jobPhase(job: Job | undefined): StepPhase {
  const c = (type: string): boolean => (job?.status?.conditions ?? []).some((x) => x.type === type && x.status === 'True');
  if (!job) return 'Pending';
  if (c('Complete')) return 'Succeeded';
  if (c('Failed')) return 'Failed';
  return 'Running';
}

const isoAt = (ms: number): string => new Date(ms).toISOString();

class Pass {
  private readonly ns: string;
  private readonly byName: Map<string, Job>;
  private nodeName: string | undefined;

  constructor(private readonly ctx: PassContext, private readonly wf: Workflow, jobs: Job[], private readonly st: Map<string, WorkflowStepStatus>) {
    this.ns = wf.metadata.namespace ?? 'default';
    this.byName = new Map(jobs.map((j) => [j.metadata.name, j]));
    this.nodeName = wf.status?.nodeName;
  }

  get pinnedNode(): string | undefined { return this.nodeName; }

  private params(step: WorkflowStep): ({ index: number; value: string } | undefined)[] {
    return step.withParams ? step.withParams.map((value, index) => ({ index, value })) : [undefined];
  }

  private outputs(): Map<string, string> {
    const m = new Map<string, string>();
    for (const [n, s] of this.st) if (s.output !== undefined) m.set(n, s.output);
    return m;
  }

  private hostDir(): string | undefined {
    if (this.ctx.hostRoot === undefined || this.wf.spec.volume?.enabled === false) return undefined;
    return `${this.ctx.hostRoot}/${this.ns}/${this.wf.metadata.name}`;
  }

  /** Pods share the workflow's host directory only on one node: pin to where the first pod ran. */
  private async learnNode(): Promise<void> {
    if (this.nodeName !== undefined || this.hostDir() === undefined || this.byName.size === 0) return;
    const pods = await this.ctx.api.list<Pod>('pods', this.ns, { labelSelector: `${WorkflowLabels.name}=${this.wf.metadata.name}` });
    this.nodeName = pods.items.find((p) => p.spec.nodeName)?.spec.nodeName;
  }

  /** Create the Jobs of a step's attempt that do not exist yet (names are fixed, so this is idempotent). */
  private async createJobs(step: WorkflowStep, attempt: number): Promise<void> {
    const outputs = this.outputs();
    for (const param of this.params(step)) {
      const name = stepJobName(this.wf.metadata.name, step.name, attempt, param?.index);
      if (this.byName.has(name)) continue;
      const job = stepJob({ wf: this.wf, step, attempt, param, vars: stepVars(param?.value, outputs), hostDir: this.hostDir(), nodeName: this.nodeName });
      try {
        this.byName.set(name, await this.ctx.api.create<Job>('jobs', job));
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
      }
    }
  }

  private async readOutput(step: WorkflowStep, jobs: string[]): Promise<{ output?: string; message?: string }> {
    if (!step.outputs) return {};
    if (!this.ctx.readLog) return { message: 'outputs cannot be read: this controller has no access to pod logs' };
    const parts: string[] = [];
    for (const j of jobs) {
      const pods = await this.ctx.api.list<Pod>('pods', this.ns, { labelSelector: `${JobLabels.jobName}=${j}` });
      const pod = pods.items.find((p) => p.status?.phase === 'Succeeded');
      const container = step.template.template.spec.containers[0]?.name ?? '';
      if (!pod) return { message: `output of ${j}: its succeeded pod is gone` };
      const text = parseOutput(await this.ctx.readLog(this.ns, pod.metadata.name, container, outputTailLines));
      if (text === undefined) return { message: `output of ${j}: no output markers in the pod's log (does the image have /bin/sh?)` };
      parts.push(text);
    }
    return { output: parts.join('\n') };
  }

  /** Observe a Running step's Jobs: success, retry or failure. */
  private async observe(step: WorkflowStep, s: WorkflowStepStatus): Promise<void> {
    const attempt = s.attempts ?? 1;
    await this.createJobs(step, attempt);
    const names = this.params(step).map((p) => stepJobName(this.wf.metadata.name, step.name, attempt, p?.index));
    s.jobs = names.map((n, i) => ({ name: n, ...(step.withParams ? { param: step.withParams[i] } : {}), phase: jobPhase(this.byName.get(n)) }));
    const phases = s.jobs.map((j) => j.phase);
    if (phases.every((p) => p === 'Succeeded')) {
      await this.learnNode();
      const { output, message } = await this.readOutput(step, names);
      Object.assign(s, { phase: 'Succeeded', finishedAt: isoAt(this.ctx.now) }, output !== undefined ? { output } : {}, message !== undefined ? { message } : {});
    } else if (phases.every((p) => p === 'Succeeded' || p === 'Failed')) {
      await this.learnNode();
      const failed = s.jobs.filter((j) => j.phase === 'Failed').map((j) => j.name);
      if (attempt <= (step.retries ?? 0)) {
        s.attempts = attempt + 1;
        s.message = `attempt ${attempt} failed (${failed.join(', ')}); retrying`;
        await this.createJobs(step, attempt + 1);
        s.jobs = this.params(step).map((p) => ({ name: stepJobName(this.wf.metadata.name, step.name, attempt + 1, p?.index), ...(p ? { param: p.value } : {}), phase: 'Running' as const }));
      } else {
        Object.assign(s, { phase: 'Failed', finishedAt: isoAt(this.ctx.now), message: `Job ${failed.join(', ')} failed${attempt > 1 ? ` (after ${attempt} attempts)` : ''}` });
      }
    }
  }

  async run(): Promise<void> {
    for (const step of this.wf.spec.steps) {
      const s = this.st.get(step.name)!;
      if (s.phase === 'Running') await this.observe(step, s);
    }
    const phases = new Map<string, StepPhase>([...this.st].map(([n, s]) => [n, s.phase]));
    for (const n of settleSkips(this.wf.spec.steps, phases)) Object.assign(this.st.get(n)!, { phase: 'Skipped', message: 'an upstream step failed or was skipped' });
    for (const n of readySteps(this.wf.spec.steps, phases)) {
      const step = this.wf.spec.steps.find((x) => x.name === n)!;
      await this.learnNode();
      await this.createJobs(step, 1);
      Object.assign(this.st.get(n)!, { phase: 'Running', startedAt: isoAt(this.ctx.now), attempts: 1 });
      this.st.get(n)!.jobs = this.params(step).map((p) => ({ name: stepJobName(this.wf.metadata.name, step.name, 1, p?.index), ...(p ? { param: p.value } : {}), phase: 'Running' as const }));
    }
  }
}

/** Advance one Workflow by one step of change; safe to run again at any time (Job names are fixed). */
export async function reconcileWorkflow(ctx: PassContext, wf: Workflow): Promise<Workflow | undefined> {
  const ns = wf.metadata.namespace ?? 'default';
  const jobs = (await ctx.api.list<Job>('jobs', ns, { labelSelector: `${WorkflowLabels.name}=${wf.metadata.name}` })).items
    .filter((j) => j.metadata.ownerReferences?.some((r) => r.uid === wf.metadata.uid));
  const prev = new Map((wf.status?.steps ?? []).map((s) => [s.name, s]));
  const st = new Map(wf.spec.steps.map((s) => [s.name, structuredClone(prev.get(s.name) ?? { name: s.name, phase: 'Pending' as const })]));
  const pass = new Pass(ctx, wf, jobs, st);
  await pass.run();
  const status = { ...wf.status, steps: [...st.values()] };
  const phase = workflowPhase(wf.spec.steps, new Map([...st].map(([n, s]) => [n, s.phase])));
  status.phase = phase;
  if (phase !== 'Pending') status.startedAt ??= isoAt(ctx.now);
  if (phase === 'Succeeded' || phase === 'Failed') status.finishedAt ??= isoAt(ctx.now);
  if (phase === 'Failed') status.message = `step ${wf.spec.steps.filter((s) => st.get(s.name)?.phase === 'Failed' && !s.continueOnFailure).map((s) => s.name).join(', ')} failed`;
  if (pass.pinnedNode !== undefined) status.nodeName = pass.pinnedNode;
  if (JSON.stringify(status) === JSON.stringify(wf.status)) return undefined;
  return ctx.api.updateStatus<Workflow>('workflows', { ...wf, status });
}
