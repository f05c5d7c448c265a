import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

/** The highest value a user-created PriorityClass may have; larger ones are reserved for system classes. */
export const HIGHEST_USER_PRIORITY = 1_000_000_000;

/** A name for a pod priority value (scheduling.k8s.io/v1): pods name a class, the API fills in its value. */
export const PriorityClassSchema = Type.Object({
  apiVersion: Type.Literal('scheduling.k8s.io/v1'),
  kind: Type.Literal('PriorityClass'),
  metadata: ObjectMetaSchema,
  value: Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647 }),
  globalDefault: Type.Optional(Type.Boolean()),
  description: Type.Optional(Type.String()),
  preemptionPolicy: Type.Optional(Type.Union([Type.Literal('PreemptLowerPriority'), Type.Literal('Never')])),
}, { additionalProperties: false });

export type PriorityClass = Static<typeof PriorityClassSchema>;
