import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

/** The object an event is about. */
export const ObjectReferenceSchema = Type.Object({
  kind: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  apiVersion: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
  fieldPath: Type.Optional(Type.String()),
}, { additionalProperties: false });

/** A report of something that happened to an object (core v1 Event); repeats bump count. */
export const EventSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('Event'),
  metadata: ObjectMetaSchema,
  involvedObject: ObjectReferenceSchema,
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  type: Type.Optional(Type.Union([Type.Literal('Normal'), Type.Literal('Warning')])),
  count: Type.Optional(Type.Integer({ minimum: 0 })),
  firstTimestamp: Type.Optional(Type.String()),
  lastTimestamp: Type.Optional(Type.String()),
  source: Type.Optional(Type.Object({ component: Type.Optional(Type.String()), host: Type.Optional(Type.String()) }, { additionalProperties: false })),
}, { additionalProperties: false });

export type Event = Static<typeof EventSchema>;
export type ObjectReference = Static<typeof ObjectReferenceSchema>;
