import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

const strict = { additionalProperties: false };

/** The object whose replicas an autoscaler sets (a Deployment or ReplicaSet). */
export const CrossVersionObjectReferenceSchema = Type.Object({
  apiVersion: Type.Optional(Type.String()),
  kind: Type.String(),
  name: Type.String(),
}, strict);

/** The target value of a metric; Lantern acts on Utilization (percent of the pods' requests). */
export const MetricTargetSchema = Type.Object({
  type: Type.Union([Type.Literal('Utilization'), Type.Literal('AverageValue'), Type.Literal('Value')]),
  averageUtilization: Type.Optional(Type.Integer({ minimum: 1 })),
  averageValue: Type.Optional(Type.String()),
  value: Type.Optional(Type.String()),
}, strict);

/** One metric to scale on: a resource (cpu) of the target's pods. */
export const MetricSpecSchema = Type.Object({
  type: Type.Literal('Resource'),
  resource: Type.Object({ name: Type.String(), target: MetricTargetSchema }, strict),
}, strict);

/** How much a scale may change within a period. */
export const HPAScalingPolicySchema = Type.Object({
  type: Type.Union([Type.Literal('Pods'), Type.Literal('Percent')]),
  value: Type.Integer({ minimum: 1 }),
  periodSeconds: Type.Integer({ minimum: 1, maximum: 1800 }),
}, strict);

/** The rules of one direction (up or down). */
export const HPAScalingRulesSchema = Type.Object({
  stabilizationWindowSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
  selectPolicy: Type.Optional(Type.Union([Type.Literal('Max'), Type.Literal('Min'), Type.Literal('Disabled')])),
  policies: Type.Optional(Type.Array(HPAScalingPolicySchema)),
}, strict);

/** One condition of an autoscaler: AbleToScale, ScalingActive or ScalingLimited. */
export const HPAConditionSchema = Type.Object({
  type: Type.String(),
  status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  lastTransitionTime: Type.Optional(Type.String()),
}, strict);

/** The last measured value of one metric. */
export const MetricStatusSchema = Type.Object({
  type: Type.Literal('Resource'),
  resource: Type.Object({
    name: Type.String(),
    current: Type.Object({ averageUtilization: Type.Optional(Type.Integer()), averageValue: Type.Optional(Type.String()) }, strict),
  }, strict),
}, strict);

/** autoscaling/v2 HorizontalPodAutoscaler: sets a target's replicas from its pods' CPU use. */
export const HorizontalPodAutoscalerSchema = Type.Object({
  apiVersion: Type.Literal('autoscaling/v2'),
  kind: Type.Literal('HorizontalPodAutoscaler'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    scaleTargetRef: CrossVersionObjectReferenceSchema,
    minReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    maxReplicas: Type.Integer({ minimum: 1 }),
    metrics: Type.Optional(Type.Array(MetricSpecSchema)),
    behavior: Type.Optional(Type.Object({
      scaleUp: Type.Optional(HPAScalingRulesSchema),
      scaleDown: Type.Optional(HPAScalingRulesSchema),
    }, strict)),
  }, strict),
  status: Type.Optional(Type.Object({
    observedGeneration: Type.Optional(Type.Integer()),
    lastScaleTime: Type.Optional(Type.String()),
    currentReplicas: Type.Optional(Type.Integer({ minimum: 0 })),
    desiredReplicas: Type.Integer({ minimum: 0 }),
    currentMetrics: Type.Optional(Type.Array(MetricStatusSchema)),
    conditions: Type.Optional(Type.Array(HPAConditionSchema)),
  }, strict)),
}, strict);

export type HorizontalPodAutoscaler = Static<typeof HorizontalPodAutoscalerSchema>;
export type HPAScalingRules = Static<typeof HPAScalingRulesSchema>;
export type HPAScalingPolicy = Static<typeof HPAScalingPolicySchema>;
export type HPACondition = Static<typeof HPAConditionSchema>;
export type MetricSpec = Static<typeof MetricSpecSchema>;
