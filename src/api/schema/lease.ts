import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

/** Kubernetes' MicroTime: RFC 3339 with microseconds, e.g. 2024-01-02T03:04:05.123456Z. */
const MicroTime = Type.String({ description: 'an RFC 3339 time, e.g. 2024-01-02T03:04:05.123456Z' });

/** Who holds a lease and since when (coordination.k8s.io/v1 LeaseSpec; the server only stores it). */
export const LeaseSpecSchema = Type.Object({
  holderIdentity: Type.Optional(Type.String()),
  leaseDurationSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  acquireTime: Type.Optional(MicroTime),
  renewTime: Type.Optional(MicroTime),
  leaseTransitions: Type.Optional(Type.Integer({ minimum: 0 })),
  strategy: Type.Optional(Type.String()),
  preferredHolder: Type.Optional(Type.String()),
}, { additionalProperties: false });

/** A Lease (coordination.k8s.io/v1, namespaced): leader election's record, renewed by its holder. */
export const LeaseSchema = Type.Object({
  apiVersion: Type.Literal('coordination.k8s.io/v1'),
  kind: Type.Literal('Lease'),
  metadata: ObjectMetaSchema,
  spec: Type.Optional(LeaseSpecSchema),
}, { additionalProperties: false });

export type Lease = Static<typeof LeaseSchema>;
export type LeaseSpec = Static<typeof LeaseSpecSchema>;
