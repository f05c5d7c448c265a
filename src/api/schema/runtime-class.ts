import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { TolerationSchema } from './pod.js';

const Quantity = Type.Union([Type.String(), Type.Number()], { description: 'a quantity such as 250m, 120Mi' });

/** The handler name a node maps to a runtime binary: a DNS label, as Kubernetes requires. */
export const RUNTIME_HANDLER_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/**
 * A RuntimeClass (node.k8s.io/v1, cluster-scoped): pods naming it in spec.runtimeClassName run under
 * the node's runtime `handler` (runc, runsc); overhead is added to their requests; scheduling is merged
 * into their nodeSelector and tolerations at admission.
 */
export const RuntimeClassSchema = Type.Object({
  apiVersion: Type.Literal('node.k8s.io/v1'),
  kind: Type.Literal('RuntimeClass'),
  metadata: ObjectMetaSchema,
  handler: Type.String({ minLength: 1, maxLength: 63, pattern: RUNTIME_HANDLER_PATTERN }),
  overhead: Type.Optional(Type.Object({ podFixed: Type.Optional(Type.Record(Type.String(), Quantity)) }, { additionalProperties: false })),
  scheduling: Type.Optional(Type.Object({
    nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String())),
    tolerations: Type.Optional(Type.Array(TolerationSchema)),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export type RuntimeClass = Static<typeof RuntimeClassSchema>;
