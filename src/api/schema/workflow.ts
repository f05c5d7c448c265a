/** lantern.dev/v1 Workflow: a DAG of steps, each run as a batch/v1 Job (after Argo Workflows' DAG template). */
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { JobSpecSchema } from './job.js';

const strict = { additionalProperties: false };
const literals = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));

/** One step of the DAG. */
export const WorkflowStepSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
  /** Steps that must be done before this one starts. */
  dependsOn: Type.Optional(Type.Array(Type.String())),
  /** The step's Job; its pods also mount the workflow's volume at /workspace. */
  template: JobSpecSchema,
  /** Extra attempts: the step's Job is made again this many times after it fails. */
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
  /** A failure of this step neither skips its dependents nor fails the workflow. */
  continueOnFailure: Type.Optional(Type.Boolean()),
  /** Always: runs once its dependencies are finished, whatever happened to them (cleanup). */
  runPolicy: Type.Optional(literals('OnSuccess', 'Always')),
  /** Fan-out: one Job per param, with env PARAM and {{param}} in command/args. */
  withParams: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 100 })),
  /** A small output (≤ 4 KiB): the content of this file in the step's container when it ends. */
  outputs: Type.Optional(Type.Object({ fromFile: Type.String({ minLength: 2, pattern: '^/' }) }, strict)),
}, strict);

/** Where a step is. */
export const StepPhaseSchema = literals('Pending', 'Running', 'Succeeded', 'Failed', 'Skipped');

/** One step's progress. */
export const WorkflowStepStatusSchema = Type.Object({
  name: Type.String(),
  phase: StepPhaseSchema,
  startedAt: Type.Optional(Type.String()),
  finishedAt: Type.Optional(Type.String()),
  /** Jobs made so far for this step (1 + retries used). */
  attempts: Type.Optional(Type.Integer({ minimum: 0 })),
  output: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  /** The step's Jobs of the current attempt (one per param), with their state. */
  jobs: Type.Optional(Type.Array(Type.Object({
    name: Type.String(),
    param: Type.Optional(Type.String()),
    phase: StepPhaseSchema,
  }, strict))),
}, strict);

/** The Workflow's spec. */
export const WorkflowSpecSchema = Type.Object({
  steps: Type.Array(WorkflowStepSchema, { minItems: 1, maxItems: 200 }),
  /**
   * A shared directory mounted at /workspace in every step's pods: a host directory under
   * hostRoot/NAMESPACE/NAME on the node (default true).
   */
  volume: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()) }, strict)),
}, strict);

/** The Workflow's status. */
export const WorkflowStatusSchema = Type.Object({
  phase: Type.Optional(literals('Pending', 'Running', 'Succeeded', 'Failed')),
  startedAt: Type.Optional(Type.String()),
  finishedAt: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  /** The node the workflow's pods are pinned to, so they share its host directory. */
  nodeName: Type.Optional(Type.String()),
  steps: Type.Optional(Type.Array(WorkflowStepStatusSchema)),
}, strict);

/** lantern.dev/v1 Workflow. */
export const WorkflowSchema = Type.Object({
  apiVersion: Type.Literal('lantern.dev/v1'),
  kind: Type.Literal('Workflow'),
  metadata: ObjectMetaSchema,
  spec: WorkflowSpecSchema,
  status: Type.Optional(WorkflowStatusSchema),
}, strict);

export type Workflow = Static<typeof WorkflowSchema>;
export type WorkflowStep = Static<typeof WorkflowStepSchema>;
export type WorkflowStatus = Static<typeof WorkflowStatusSchema>;
export type WorkflowStepStatus = Static<typeof WorkflowStepStatusSchema>;
export type StepPhase = Static<typeof StepPhaseSchema>;
