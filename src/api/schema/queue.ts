/** lantern.dev/v1 Queue: a share of the cluster that Jobs wait in until admitted (after Kueue's ClusterQueue). */
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

const strict = { additionalProperties: false };

export { QUEUE_NAME_LABEL, ADMITTED_AT_ANNOTATION, QUEUE_WAITING_ANNOTATION } from '../queue-labels.js';

const ResourcesSchema = Type.Object({
  cpu: Type.Optional(Type.String({ description: 'cpu quantity, e.g. 8 or 500m' })),
  memory: Type.Optional(Type.String({ description: 'memory quantity, e.g. 64Gi' })),
  'nvidia.com/gpu': Type.Optional(Type.String()),
}, strict);

/** The Queue's spec. */
export const QueueSpecSchema = Type.Object({
  /** Share of the cluster relative to other queues (Dominant Resource Fairness weight); default 1. */
  weight: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Nominal quota; absent (or a resource absent) means unlimited, bounded by the cluster. */
  quota: Type.Optional(ResourcesSchema),
  /** Queues in one cohort lend each other their idle quota. */
  cohort: Type.Optional(Type.String({ minLength: 1 })),
  /** Whether this queue takes its lent quota back by suspending borrowers' jobs; default Any. */
  reclaimWithinCohort: Type.Optional(Type.Union([Type.Literal('Never'), Type.Literal('LowerPriority'), Type.Literal('Any')])),
}, strict);

/** What the queue controller last computed for the Queue. */
export const QueueStatusSchema = Type.Object({
  pending: Type.Optional(Type.Integer({ minimum: 0 })),
  admitted: Type.Optional(Type.Integer({ minimum: 0 })),
  allocated: Type.Optional(Type.Object({ cpu: Type.String(), memory: Type.String(), gpu: Type.String() }, strict)),
  /** weight ÷ the sum of the weights of queues with work, as a fraction of the cluster. */
  deservedShare: Type.Optional(Type.Number()),
  /** max over resources of allocated ÷ cluster capacity. */
  dominantShare: Type.Optional(Type.Number()),
  /** true while the queue uses more than its quota (borrowed from its cohort). */
  borrowing: Type.Optional(Type.Boolean()),
}, strict);

/** lantern.dev/v1 Queue (cluster-scoped). */
export const QueueSchema = Type.Object({
  apiVersion: Type.Literal('lantern.dev/v1'),
  kind: Type.Literal('Queue'),
  metadata: ObjectMetaSchema,
  spec: QueueSpecSchema,
  status: Type.Optional(QueueStatusSchema),
}, strict);

export type Queue = Static<typeof QueueSchema>;
export type QueueSpec = Static<typeof QueueSpecSchema>;
export type QueueStatus = Static<typeof QueueStatusSchema>;
