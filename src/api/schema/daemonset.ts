/** apps/v1 DaemonSet: one pod on every node that matches. */
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { LabelSelectorSchema } from './pod.js';
import { IntOrStringSchema, PodTemplateSpecSchema, WorkloadConditionSchema } from './apps.js';

const strict = { additionalProperties: false };

/** RollingUpdate (within maxUnavailable and maxSurge) or OnDelete. */
export const DaemonSetUpdateStrategySchema = Type.Object({
  type: Type.Optional(Type.Union([Type.Literal('RollingUpdate'), Type.Literal('OnDelete')])),
  rollingUpdate: Type.Optional(Type.Object({
    maxUnavailable: Type.Optional(IntOrStringSchema),
    maxSurge: Type.Optional(IntOrStringSchema),
  }, strict)),
}, strict);

/** apps/v1 DaemonSet. */
export const DaemonSetSchema = Type.Object({
  apiVersion: Type.Literal('apps/v1'),
  kind: Type.Literal('DaemonSet'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    selector: LabelSelectorSchema,
    template: PodTemplateSpecSchema,
    updateStrategy: Type.Optional(DaemonSetUpdateStrategySchema),
    minReadySeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    revisionHistoryLimit: Type.Optional(Type.Integer({ minimum: 0 })),
  }, strict),
  status: Type.Optional(Type.Object({
    currentNumberScheduled: Type.Integer({ minimum: 0 }),
    numberMisscheduled: Type.Integer({ minimum: 0 }),
    desiredNumberScheduled: Type.Integer({ minimum: 0 }),
    numberReady: Type.Integer({ minimum: 0 }),
    observedGeneration: Type.Optional(Type.Integer()),
    updatedNumberScheduled: Type.Optional(Type.Integer({ minimum: 0 })),
    numberAvailable: Type.Optional(Type.Integer({ minimum: 0 })),
    numberUnavailable: Type.Optional(Type.Integer({ minimum: 0 })),
    collisionCount: Type.Optional(Type.Integer({ minimum: 0 })),
    conditions: Type.Optional(Type.Array(WorkloadConditionSchema)),
  }, strict)),
}, strict);

export type DaemonSet = Static<typeof DaemonSetSchema>;
export type DaemonSetStatus = NonNullable<DaemonSet['status']>;
