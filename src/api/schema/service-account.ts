import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

const LocalObjectReference = Type.Object({ name: Type.String() }, { additionalProperties: false });

/** core v1 ServiceAccount: an identity for the processes of pods (their API tokens come from TokenRequest). */
export const ServiceAccountSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('ServiceAccount'),
  metadata: ObjectMetaSchema,
  automountServiceAccountToken: Type.Optional(Type.Boolean()),
  imagePullSecrets: Type.Optional(Type.Array(LocalObjectReference)),
  secrets: Type.Optional(Type.Array(Type.Object({ name: Type.Optional(Type.String()), namespace: Type.Optional(Type.String()) }))),
}, { additionalProperties: false });

export type ServiceAccount = Static<typeof ServiceAccountSchema>;

/** The ServiceAccount every namespace gets and pods use unless they name another. */
export const defaultServiceAccount = 'default';
