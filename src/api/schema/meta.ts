import { Type, type Static } from '@sinclair/typebox';

const StringMap = Type.Record(Type.String(), Type.String());

/** metadata of every object; server-owned fields are accepted but overwritten by the API. */
export const ObjectMetaSchema = Type.Object({
  name: Type.String({ description: 'a DNS-1123 subdomain: lower-case letters, digits, "-" and "."' }),
  generateName: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
  generation: Type.Optional(Type.Integer()),
  creationTimestamp: Type.Optional(Type.String()),
  deletionTimestamp: Type.Optional(Type.String()),
  deletionGracePeriodSeconds: Type.Optional(Type.Integer()),
  labels: Type.Optional(StringMap),
  annotations: Type.Optional(StringMap),
  ownerReferences: Type.Optional(Type.Array(Type.Object({
    apiVersion: Type.String(),
    kind: Type.String(),
    name: Type.String(),
    uid: Type.String(),
    controller: Type.Optional(Type.Boolean()),
    blockOwnerDeletion: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }))),
  finalizers: Type.Optional(Type.Array(Type.String())),
  /** Who owns which fields (server-side apply; written by the API, server/http/apply.ts). */
  managedFields: Type.Optional(Type.Array(Type.Object({
    manager: Type.Optional(Type.String()),
    operation: Type.Optional(Type.String()),
    apiVersion: Type.Optional(Type.String()),
    time: Type.Optional(Type.String()),
    fieldsType: Type.Optional(Type.String()),
    fieldsV1: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    subresource: Type.Optional(Type.String()),
  }, { additionalProperties: false }))),
}, { additionalProperties: false });

export type ObjectMeta = Static<typeof ObjectMetaSchema>;
export type OwnerReference = NonNullable<ObjectMeta['ownerReferences']>[number];

export { StringMap };
