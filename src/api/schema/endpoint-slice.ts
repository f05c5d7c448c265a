import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { ProtocolSchema } from './service.js';

const strict = { additionalProperties: false };

/** The state of one endpoint: ready (serving and not terminating), serving (Ready condition), terminating. */
export const EndpointConditionsSchema = Type.Object({
  ready: Type.Optional(Type.Boolean()),
  serving: Type.Optional(Type.Boolean()),
  terminating: Type.Optional(Type.Boolean()),
}, strict);

/** What an endpoint stands for (a Pod). */
export const EndpointTargetRefSchema = Type.Object({
  kind: Type.Optional(Type.String({ maxLength: 63 })),
  namespace: Type.Optional(Type.String({ maxLength: 253 })),
  name: Type.Optional(Type.String({ maxLength: 253 })),
  uid: Type.Optional(Type.String({ maxLength: 64 })),
  resourceVersion: Type.Optional(Type.String({ maxLength: 64 })),
  apiVersion: Type.Optional(Type.String({ maxLength: 253 })),
}, strict);

/** One backend of a Service (discovery.k8s.io/v1 Endpoint). */
export const EndpointSchema = Type.Object({
  addresses: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 }),
  conditions: Type.Optional(EndpointConditionsSchema),
  hostname: Type.Optional(Type.String({ maxLength: 63 })),
  nodeName: Type.Optional(Type.String({ maxLength: 253 })),
  zone: Type.Optional(Type.String({ maxLength: 253 })),
  targetRef: Type.Optional(EndpointTargetRefSchema),
}, strict);

/** One port of a slice: the resolved container port under the Service port's name. */
export const EndpointPortSchema = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 63 })),
  protocol: Type.Optional(ProtocolSchema),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  appProtocol: Type.Optional(Type.String({ maxLength: 253 })),
}, strict);

/** discovery.k8s.io/v1 EndpointSlice: up to 100 endpoints of one Service sharing one port set. */
export const EndpointSliceSchema = Type.Object({
  apiVersion: Type.Literal('discovery.k8s.io/v1'),
  kind: Type.Literal('EndpointSlice'),
  metadata: ObjectMetaSchema,
  addressType: Type.Union([Type.Literal('IPv4'), Type.Literal('IPv6'), Type.Literal('FQDN')]),
  endpoints: Type.Array(EndpointSchema, { maxItems: 1000 }),
  ports: Type.Optional(Type.Array(EndpointPortSchema, { maxItems: 100 })),
}, strict);

export type EndpointSlice = Static<typeof EndpointSliceSchema>;
export type Endpoint = Static<typeof EndpointSchema>;
export type EndpointPort = Static<typeof EndpointPortSchema>;
export type EndpointConditions = Static<typeof EndpointConditionsSchema>;

/** Kubernetes' maximum endpoints per slice (the controller's --max-endpoints-per-slice default). */
export const maxEndpointsPerSlice = 100;
