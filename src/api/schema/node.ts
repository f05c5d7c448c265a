import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, StringMap } from './meta.js';

const strict = { additionalProperties: false } as const;

export const TaintSchema = Type.Object({
  key: Type.String({ minLength: 1 }),
  value: Type.Optional(Type.String()),
  effect: Type.Union([Type.Literal('NoSchedule'), Type.Literal('PreferNoSchedule'), Type.Literal('NoExecute')]),
  timeAdded: Type.Optional(Type.String()),
}, strict);

export const NodeSpecSchema = Type.Object({
  unschedulable: Type.Optional(Type.Boolean()),
  taints: Type.Optional(Type.Array(TaintSchema)),
  podCIDR: Type.Optional(Type.String()),
}, strict);

export const NodeStatusSchema = Type.Object({
  capacity: Type.Optional(StringMap),
  allocatable: Type.Optional(StringMap),
  conditions: Type.Optional(Type.Array(Type.Object({
    type: Type.String(),
    status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
    reason: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    lastHeartbeatTime: Type.Optional(Type.String()),
    lastTransitionTime: Type.Optional(Type.String()),
  }))),
  addresses: Type.Optional(Type.Array(Type.Object({ type: Type.String(), address: Type.String() }))),
  nodeInfo: Type.Optional(Type.Object({
    architecture: Type.String(),
    operatingSystem: Type.String(),
    kernelVersion: Type.String(),
    osImage: Type.Optional(Type.String()),
    containerRuntimeVersion: Type.String(),
    kubeletVersion: Type.String(),
  })),
  images: Type.Optional(Type.Array(Type.Object({ names: Type.Array(Type.String()), sizeBytes: Type.Number() }))),
});

/** A machine that runs pods. */
export const NodeSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('Node'),
  metadata: ObjectMetaSchema,
  spec: Type.Optional(NodeSpecSchema),
  status: Type.Optional(NodeStatusSchema),
}, strict);

export type Node = Static<typeof NodeSchema>;
export type NodeSpec = Static<typeof NodeSpecSchema>;
export type NodeStatus = Static<typeof NodeStatusSchema>;
export type Taint = Static<typeof TaintSchema>;
export type NodeCondition = NonNullable<NodeStatus['conditions']>[number];
