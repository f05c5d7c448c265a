import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

/** core v1 Namespace: a scope for names (cluster-scoped itself). */
export const NamespaceSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('Namespace'),
  metadata: ObjectMetaSchema,
  spec: Type.Optional(Type.Object({
    // "kubernetes": the namespace controller's, removed once every object in the namespace is gone.
    finalizers: Type.Optional(Type.Array(Type.String())),
  }, { additionalProperties: false })),
  status: Type.Optional(Type.Object({
    phase: Type.Optional(Type.Union([Type.Literal('Active'), Type.Literal('Terminating')])),
    conditions: Type.Optional(Type.Array(Type.Object({
      type: Type.String(),
      status: Type.String(),
      lastTransitionTime: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
      message: Type.Optional(Type.String()),
    }, { additionalProperties: false }))),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export type Namespace = Static<typeof NamespaceSchema>;

/** The finalizer every namespace gets: the namespace controller removes it when the namespace is empty. */
export const namespaceFinalizer = 'kubernetes';

/** Namespaces the server creates at start (kube-apiserver makes default, kube-system, kube-public). */
export const systemNamespaces: readonly string[] = ['default', 'lantern-system'];
