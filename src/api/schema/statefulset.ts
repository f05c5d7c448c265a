/** apps/v1 StatefulSet: pods with stable names, stable storage and ordered rollout. */
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { LabelSelectorSchema } from './pod.js';
import { IntOrStringSchema, PodTemplateSpecSchema, WorkloadConditionSchema } from './apps.js';

const strict = { additionalProperties: false };
const literals = <T extends string>(...values: T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/**
 * A claim template: a PersistentVolumeClaim's metadata and spec. The spec is checked by the
 * PersistentVolumeClaim kind when the controller creates the claim, so its shape is not repeated here.
 */
export const ClaimTemplateSchema = Type.Object({
  apiVersion: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  metadata: Type.Intersect([Type.Partial(ObjectMetaSchema), Type.Object({ name: Type.String({ minLength: 1 }) })]),
  spec: Type.Record(Type.String(), Type.Unknown()),
});

/** What happens to replicas' claims when the set is deleted or scaled down. */
export const RetentionPolicySchema = Type.Object({
  whenDeleted: Type.Optional(literals('Retain', 'Delete')),
  whenScaled: Type.Optional(literals('Retain', 'Delete')),
}, strict);

/** RollingUpdate (highest ordinal first, down to partition) or OnDelete. */
export const StatefulSetUpdateStrategySchema = Type.Object({
  type: Type.Optional(literals('RollingUpdate', 'OnDelete')),
  rollingUpdate: Type.Optional(Type.Object({
    partition: Type.Optional(Type.Integer({ minimum: 0 })),
    maxUnavailable: Type.Optional(IntOrStringSchema),
  }, strict)),
}, strict);

/** apps/v1 StatefulSet. */
export const StatefulSetSchema = Type.Object({
  apiVersion: Type.Literal('apps/v1'),
  kind: Type.Literal('StatefulSet'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    replicas: Type.Optional(Type.Integer({ minimum: 0 })),
    selector: LabelSelectorSchema,
    template: PodTemplateSpecSchema,
    serviceName: Type.Optional(Type.String()),
    volumeClaimTemplates: Type.Optional(Type.Array(ClaimTemplateSchema)),
    podManagementPolicy: Type.Optional(literals('OrderedReady', 'Parallel')),
    updateStrategy: Type.Optional(StatefulSetUpdateStrategySchema),
    revisionHistoryLimit: Type.Optional(Type.Integer({ minimum: 0 })),
    minReadySeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    persistentVolumeClaimRetentionPolicy: Type.Optional(RetentionPolicySchema),
    ordinals: Type.Optional(Type.Object({ start: Type.Optional(Type.Integer({ minimum: 0 })) }, strict)),
  }, strict),
  status: Type.Optional(Type.Object({
    observedGeneration: Type.Optional(Type.Integer()),
    replicas: Type.Integer({ minimum: 0 }),
    readyReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    currentReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    updatedReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    availableReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    currentRevision: Type.Optional(Type.String()),
    updateRevision: Type.Optional(Type.String()),
    collisionCount: Type.Optional(Type.Integer({ minimum: 0 })),
    conditions: Type.Optional(Type.Array(WorkloadConditionSchema)),
  }, strict)),
}, strict);

export type StatefulSet = Static<typeof StatefulSetSchema>;
export type ClaimTemplate = Static<typeof ClaimTemplateSchema>;
export type StatefulSetStatus = NonNullable<StatefulSet['status']>;
