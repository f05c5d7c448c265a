import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, StringMap } from './meta.js';

/** Non-secret configuration for pods (core v1 ConfigMap): text in data, base64 bytes in binaryData. */
export const ConfigMapSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('ConfigMap'),
  metadata: ObjectMetaSchema,
  data: Type.Optional(StringMap),
  binaryData: Type.Optional(StringMap),
  immutable: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

/** Secret data (core v1 Secret): base64 values in data; stringData is merged into data at admission. */
export const SecretSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('Secret'),
  metadata: ObjectMetaSchema,
  type: Type.Optional(Type.String()),
  data: Type.Optional(StringMap),
  stringData: Type.Optional(StringMap),
  immutable: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export type ConfigMap = Static<typeof ConfigMapSchema>;
export type Secret = Static<typeof SecretSchema>;
