import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

/**
 * A gang (lantern.dev/v1 PodGroup, after Volcano and the coscheduling plugin): pods that name it in
 * the annotation scheduling.lantern.dev/group are placed all or nothing, at least minMember of them
 * in one scheduling decision.
 */
export const PodGroupSchema = Type.Object({
  apiVersion: Type.Literal('lantern.dev/v1'),
  kind: Type.Literal('PodGroup'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    /** How many members must get nodes together; fewer are never placed. */
    minMember: Type.Integer({ minimum: 1, maximum: 100_000 }),
    /** The Queue the group's work is charged to (lantern.dev/v1 Queue). */
    queue: Type.Optional(Type.String()),
  }, { additionalProperties: false }),
  status: Type.Optional(Type.Object({
    /** Pending (not yet placed), Scheduled (minMember placed together). */
    phase: Type.Optional(Type.Union([Type.Literal('Pending'), Type.Literal('Scheduled')])),
    /** Members bound to nodes. */
    scheduled: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Why the group waits, as the scheduler last saw it. */
    message: Type.Optional(Type.String()),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export type PodGroup = Static<typeof PodGroupSchema>;
