/** batch/v1 CronJob: Jobs made on a cron schedule (Kubernetes' fields). */
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { JobSpecSchema } from './job.js';

const strict = { additionalProperties: false };
const literals = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));

/** The Jobs a CronJob makes: labels and annotations plus a Job spec. */
export const JobTemplateSpecSchema = Type.Object({
  metadata: Type.Optional(Type.Partial(ObjectMetaSchema)),
  spec: JobSpecSchema,
}, strict);

/** The CronJob's spec. */
export const CronJobSpecSchema = Type.Object({
  schedule: Type.String({ minLength: 1, maxLength: 256, description: 'five cron fields or a macro such as @hourly' }),
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  startingDeadlineSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  concurrencyPolicy: Type.Optional(literals('Allow', 'Forbid', 'Replace')),
  suspend: Type.Optional(Type.Boolean()),
  jobTemplate: JobTemplateSpecSchema,
  successfulJobsHistoryLimit: Type.Optional(Type.Integer({ minimum: 0 })),
  failedJobsHistoryLimit: Type.Optional(Type.Integer({ minimum: 0 })),
}, strict);

/** A reference to one active Job. */
const ObjectReferenceSchema = Type.Object({
  apiVersion: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  name: Type.String(),
  namespace: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
}, strict);

/** The CronJob's status. */
export const CronJobStatusSchema = Type.Object({
  active: Type.Optional(Type.Array(ObjectReferenceSchema)),
  lastScheduleTime: Type.Optional(Type.String()),
  lastSuccessfulTime: Type.Optional(Type.String()),
}, strict);

/** batch/v1 CronJob. */
export const CronJobSchema = Type.Object({
  apiVersion: Type.Literal('batch/v1'),
  kind: Type.Literal('CronJob'),
  metadata: ObjectMetaSchema,
  spec: CronJobSpecSchema,
  status: Type.Optional(CronJobStatusSchema),
}, strict);

export type CronJob = Static<typeof CronJobSchema>;
export type CronJobSpec = Static<typeof CronJobSpecSchema>;
export type CronJobStatus = Static<typeof CronJobStatusSchema>;
