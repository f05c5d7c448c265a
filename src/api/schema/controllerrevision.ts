/** apps/v1 ControllerRevision: an immutable snapshot of a StatefulSet's or DaemonSet's template, for history and undo. */
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

/** apps/v1 ControllerRevision: `data` is the owner's spec.template as it was, `revision` its number. */
export const ControllerRevisionSchema = Type.Object({
  apiVersion: Type.Literal('apps/v1'),
  kind: Type.Literal('ControllerRevision'),
  metadata: ObjectMetaSchema,
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  revision: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });

export type ControllerRevision = Static<typeof ControllerRevisionSchema>;
