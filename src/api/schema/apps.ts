import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { LabelSelectorSchema, PodSpecSchema } from './pod.js';

const strict = { additionalProperties: false };

/** An int or a percent string ("25%"), as Kubernetes' IntOrString. */
export const IntOrStringSchema = Type.Union([Type.Integer({ minimum: 0 }), Type.String()]);

/** The pods a controller makes: labels and annotations plus a pod spec. */
export const PodTemplateSpecSchema = Type.Object({
  metadata: Type.Optional(Type.Partial(ObjectMetaSchema)),
  spec: PodSpecSchema,
}, strict);

/** One condition of a Deployment or ReplicaSet. */
export const WorkloadConditionSchema = Type.Object({
  type: Type.String(),
  status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  lastUpdateTime: Type.Optional(Type.String()),
  lastTransitionTime: Type.Optional(Type.String()),
}, strict);

/** apps/v1 ReplicaSet: keeps `replicas` pods matching the selector running. */
export const ReplicaSetSchema = Type.Object({
  apiVersion: Type.Literal('apps/v1'),
  kind: Type.Literal('ReplicaSet'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    replicas: Type.Optional(Type.Integer({ minimum: 0 })),
    minReadySeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    selector: LabelSelectorSchema,
    template: PodTemplateSpecSchema,
  }, strict),
  status: Type.Optional(Type.Object({
    replicas: Type.Integer({ minimum: 0 }),
    fullyLabeledReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    readyReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    availableReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    observedGeneration: Type.Optional(Type.Integer()),
    conditions: Type.Optional(Type.Array(WorkloadConditionSchema)),
  }, strict)),
}, strict);

/** How a Deployment replaces old pods with new ones. */
export const DeploymentStrategySchema = Type.Object({
  type: Type.Optional(Type.Union([Type.Literal('RollingUpdate'), Type.Literal('Recreate')])),
  rollingUpdate: Type.Optional(Type.Object({
    maxSurge: Type.Optional(IntOrStringSchema),
    maxUnavailable: Type.Optional(IntOrStringSchema),
  }, strict)),
}, strict);

/** apps/v1 Deployment: declarative updates of pods through ReplicaSets. */
export const DeploymentSchema = Type.Object({
  apiVersion: Type.Literal('apps/v1'),
  kind: Type.Literal('Deployment'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    replicas: Type.Optional(Type.Integer({ minimum: 0 })),
    selector: LabelSelectorSchema,
    template: PodTemplateSpecSchema,
    strategy: Type.Optional(DeploymentStrategySchema),
    minReadySeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    revisionHistoryLimit: Type.Optional(Type.Integer({ minimum: 0 })),
    progressDeadlineSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    paused: Type.Optional(Type.Boolean()),
  }, strict),
  status: Type.Optional(Type.Object({
    observedGeneration: Type.Optional(Type.Integer()),
    replicas: Type.Optional(Type.Integer({ minimum: 0 })),
    updatedReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    readyReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    availableReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    unavailableReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    conditions: Type.Optional(Type.Array(WorkloadConditionSchema)),
    collisionCount: Type.Optional(Type.Integer({ minimum: 0 })),
  }, strict)),
}, strict);

/** autoscaling/v1 Scale: the scale subresource of a Deployment or ReplicaSet. */
export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string };
  spec: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

export type ReplicaSet = Static<typeof ReplicaSetSchema>;
export type Deployment = Static<typeof DeploymentSchema>;
export type PodTemplateSpec = Static<typeof PodTemplateSpecSchema>;
export type WorkloadCondition = Static<typeof WorkloadConditionSchema>;
export type DeploymentStrategy = Static<typeof DeploymentStrategySchema>;
export type IntOrString = Static<typeof IntOrStringSchema>;
