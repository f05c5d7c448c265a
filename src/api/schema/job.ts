/** batch/v1 Job: run pods to completion (Kubernetes' fields, plus Lantern's spec.minAvailable). */
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { LabelSelectorSchema } from './pod.js';
import { PodTemplateSpecSchema, WorkloadConditionSchema } from './apps.js';

const strict = { additionalProperties: false };
const literals = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));

/** One rule of spec.podFailurePolicy: what a failed pod that matches means for the Job. */
export const PodFailurePolicyRuleSchema = Type.Object({
  action: literals('FailJob', 'Ignore', 'Count', 'FailIndex'),
  onExitCodes: Type.Optional(Type.Object({
    containerName: Type.Optional(Type.String()),
    operator: literals('In', 'NotIn'),
    values: Type.Array(Type.Integer(), { minItems: 1, maxItems: 255 }),
  }, strict)),
  onPodConditions: Type.Optional(Type.Array(Type.Object({
    type: Type.String({ minLength: 1 }),
    status: Type.Optional(literals('True', 'False', 'Unknown')),
  }, strict))),
}, strict);

/** The Job's spec. */
export const JobSpecSchema = Type.Object({
  parallelism: Type.Optional(Type.Integer({ minimum: 0 })),
  completions: Type.Optional(Type.Integer({ minimum: 0 })),
  completionMode: Type.Optional(literals('NonIndexed', 'Indexed')),
  backoffLimit: Type.Optional(Type.Integer({ minimum: 0 })),
  backoffLimitPerIndex: Type.Optional(Type.Integer({ minimum: 0 })),
  maxFailedIndexes: Type.Optional(Type.Integer({ minimum: 0 })),
  podFailurePolicy: Type.Optional(Type.Object({ rules: Type.Array(PodFailurePolicyRuleSchema, { maxItems: 20 }) }, strict)),
  activeDeadlineSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  ttlSecondsAfterFinished: Type.Optional(Type.Integer({ minimum: 0 })),
  suspend: Type.Optional(Type.Boolean()),
  selector: Type.Optional(LabelSelectorSchema),
  manualSelector: Type.Optional(Type.Boolean()),
  template: PodTemplateSpecSchema,
  minAvailable: Type.Optional(Type.Integer({ minimum: 1, description: 'Lantern: gang size; carried to the pods as scheduling.lantern.dev/group-min-available' })),
}, strict);

/** The Job's status; countedPods is Lantern's record that makes the counts exact across restarts. */
export const JobStatusSchema = Type.Object({
  active: Type.Optional(Type.Integer({ minimum: 0 })),
  ready: Type.Optional(Type.Integer({ minimum: 0 })),
  terminating: Type.Optional(Type.Integer({ minimum: 0 })),
  succeeded: Type.Optional(Type.Integer({ minimum: 0 })),
  failed: Type.Optional(Type.Integer({ minimum: 0 })),
  startTime: Type.Optional(Type.String()),
  completionTime: Type.Optional(Type.String()),
  completedIndexes: Type.Optional(Type.String()),
  failedIndexes: Type.Optional(Type.String()),
  conditions: Type.Optional(Type.Array(WorkloadConditionSchema)),
  /** Lantern: uids of finished pods already added to succeeded/failed, while those pods still exist. */
  countedPods: Type.Optional(Type.Object({
    succeeded: Type.Optional(Type.Array(Type.String())),
    failed: Type.Optional(Type.Array(Type.String())),
  }, strict)),
  observedGeneration: Type.Optional(Type.Integer()),
}, strict);

/** batch/v1 Job. */
export const JobSchema = Type.Object({
  apiVersion: Type.Literal('batch/v1'),
  kind: Type.Literal('Job'),
  metadata: ObjectMetaSchema,
  spec: JobSpecSchema,
  status: Type.Optional(JobStatusSchema),
}, strict);

export type Job = Static<typeof JobSchema>;
export type JobSpec = Static<typeof JobSpecSchema>;
export type JobStatus = Static<typeof JobStatusSchema>;
export type PodFailurePolicyRule = Static<typeof PodFailurePolicyRuleSchema>;
