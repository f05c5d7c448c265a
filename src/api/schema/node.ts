import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { StatusLimits } from '../status-limits.js';
import { ConditionType, LongMessage, Reason, ShortText, Time } from './status-shapes.js';

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

const Quantities = Type.Record(Type.String(), Type.String({ maxLength: 64 }), { maxProperties: 64 });

// Written by the node itself, which the API does not trust: bounded strings and lists (status-shapes.ts).
export const NodeStatusSchema = Type.Object({
  capacity: Type.Optional(Quantities),
  allocatable: Type.Optional(Quantities),
  conditions: Type.Optional(Type.Array(Type.Object({
    type: ConditionType,
    status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
    reason: Type.Optional(Reason),
    message: Type.Optional(LongMessage),
    lastHeartbeatTime: Type.Optional(Time),
    lastTransitionTime: Type.Optional(Time),
  }, strict), { maxItems: StatusLimits.conditions })),
  addresses: Type.Optional(Type.Array(Type.Object({
    type: Type.String({ minLength: 1, maxLength: 32 }),
    address: Type.String({ minLength: 1, maxLength: 253 }),
  }, strict), { maxItems: 16 })),
  nodeInfo: Type.Optional(Type.Object({
    architecture: ShortText,
    operatingSystem: ShortText,
    kernelVersion: ShortText,
    osImage: Type.Optional(ShortText),
    containerRuntimeVersion: ShortText,
    kubeletVersion: ShortText,
    machineID: Type.Optional(ShortText),
    systemUUID: Type.Optional(ShortText),
    bootID: Type.Optional(ShortText),
    kubeProxyVersion: Type.Optional(ShortText),
  }, strict)),
  images: Type.Optional(Type.Array(Type.Object({
    names: Type.Array(ShortText, { maxItems: 64 }),
    sizeBytes: Type.Number({ minimum: 0 }),
  }, strict), { maxItems: 1024 })),
  // Kubernetes 1.30's NodeRuntimeHandler: the handlers (runc, runsc) this node probed it can run.
  runtimeHandlers: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ maxLength: 63, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$' }),
    features: Type.Optional(Type.Object({
      recursiveReadOnlyMounts: Type.Optional(Type.Boolean()),
      userNamespaces: Type.Optional(Type.Boolean()),
    }, strict)),
  }, strict), { maxItems: 16 })),
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
