/** The Job of one step attempt (and param): names, labels, owner, volume, pinning, substitution, output wrapper. */
import type { Job } from '../../api/schema/job.js';
import type { Workflow, WorkflowStep } from '../../api/schema/workflow.js';
import type { Container } from '../../api/pod.js';
import { substitute } from './substitute.js';
import { wrapForOutput } from './output.js';
import { newControllerRef } from '../../client/kit/index.js';

/** Labels on a workflow's Jobs and their pods. */
export const WorkflowLabels = {
  name: 'workflows.lantern.dev/name',
  step: 'workflows.lantern.dev/step',
  attempt: 'workflows.lantern.dev/attempt',
  param: 'workflows.lantern.dev/param-index',
} as const;

/** Where each step's pods see the workflow's shared directory. */
export const workspaceMount = '/workspace';

/** The Job name of a step's attempt (1-based) and param index: WF-STEP-ATTEMPT[-INDEX]. */
export function stepJobName(wf: string, step: string, attempt: number, index?: number): string {
  return `${wf}-${step}-${attempt}${index === undefined ? '' : `-${index}`}`;
}

/** What a step's Job needs besides the step. */
export interface StepJobInput {
  wf: Workflow;
  step: WorkflowStep;
  attempt: number;
  /** The fan-out index and value; absent for a step without withParams. */
  param?: { index: number; value: string };
  /** {{param}} and {{steps.X.output}} values. */
  vars: ReadonlyMap<string, string>;
  /** The host directory shared by the workflow's pods; absent: no volume. */
  hostDir?: string;
  /** Pin the pods here so they share hostDir. */
  nodeName?: string;
}

function container(c: Container, i: number, input: StepJobInput): Container {
  const sub = (t: string): string => substitute(t, input.vars);
  const out: Container = { ...c };
  if (c.command) out.command = c.command.map(sub);
  if (c.args) out.args = c.args.map(sub);
  const env = (c.env ?? []).map((e) => (e.value === undefined ? e : { ...e, value: sub(e.value) }));
  if (input.param) env.push({ name: 'PARAM', value: input.param.value });
  const file = input.step.outputs?.fromFile;
  if (file !== undefined && i === 0 && out.command) {
    env.push({ name: 'LANTERN_OUTPUT_FILE', value: file });
    out.command = wrapForOutput(out.command, out.args);
    delete out.args;
  }
  if (env.length > 0) out.env = env;
  if (input.hostDir !== undefined) out.volumeMounts = [...(c.volumeMounts ?? []), { name: 'workspace', mountPath: workspaceMount }];
  return out;
}

/** The step's Job, owned by the Workflow (controller reference), labelled for listing back. */
export function stepJob(input: StepJobInput): Job {
  const { wf, step, attempt, param } = input;
  const labels = { [WorkflowLabels.name]: wf.metadata.name, [WorkflowLabels.step]: step.name, [WorkflowLabels.attempt]: String(attempt), ...(param ? { [WorkflowLabels.param]: String(param.index) } : {}) };
  const t = step.template.template;
  const podSpec = { ...t.spec, containers: t.spec.containers.map((c, i) => container(c, i, input)) };
  if (input.hostDir !== undefined) podSpec.volumes = [...(t.spec.volumes ?? []), { name: 'workspace', hostPath: { path: input.hostDir, type: 'DirectoryOrCreate' } }];
  if (input.nodeName !== undefined && podSpec.nodeName === undefined) podSpec.nodeName = input.nodeName;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: stepJobName(wf.metadata.name, step.name, attempt, param?.index),
      namespace: wf.metadata.namespace ?? 'default',
      labels,
      annotations: param ? { 'workflows.lantern.dev/param': param.value } : undefined,
      ownerReferences: [newControllerRef(wf)],
    },
    spec: { ...step.template, template: { ...t, metadata: { ...t.metadata, labels: { ...t.metadata?.labels, ...labels } }, spec: podSpec } },
  };
}
