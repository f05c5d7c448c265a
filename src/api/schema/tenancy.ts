import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

const strict = { additionalProperties: false } as const;
const Quantity = Type.Union([Type.String(), Type.Number()], { description: 'a quantity such as 500m, 2, 64Mi' });
const ResourceList = Type.Record(Type.String({ minLength: 1, maxLength: 253 }), Quantity);

/** core v1 ResourceQuota: hard limits on what a namespace's objects may request, and what they use. */
export const ResourceQuotaSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('ResourceQuota'),
  metadata: ObjectMetaSchema,
  spec: Type.Optional(Type.Object({
    hard: Type.Optional(ResourceList),
    scopes: Type.Optional(Type.Array(Type.String(), { maxItems: 0, description: 'scopes are not supported by Lantern' })),
  }, strict)),
  status: Type.Optional(Type.Object({
    hard: Type.Optional(ResourceList),
    used: Type.Optional(ResourceList),
  }, strict)),
}, strict);

/** One item of a LimitRange: bounds and defaults for one type of object. */
export const LimitRangeItemSchema = Type.Object({
  type: Type.Union([Type.Literal('Container'), Type.Literal('Pod'), Type.Literal('PersistentVolumeClaim')]),
  max: Type.Optional(ResourceList),
  min: Type.Optional(ResourceList),
  default: Type.Optional(ResourceList),
  defaultRequest: Type.Optional(ResourceList),
  maxLimitRequestRatio: Type.Optional(ResourceList),
}, strict);

/** core v1 LimitRange: per-container, per-pod and per-claim bounds and defaults in a namespace. */
export const LimitRangeSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('LimitRange'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({ limits: Type.Array(LimitRangeItemSchema, { maxItems: 64 }) }, strict),
}, strict);

export type ResourceQuota = Static<typeof ResourceQuotaSchema>;
export type LimitRange = Static<typeof LimitRangeSchema>;
export type LimitRangeItem = Static<typeof LimitRangeItemSchema>;
/** Resource name -> quantity, as Kubernetes' ResourceList. */
export type ResourceList = Record<string, string | number>;
