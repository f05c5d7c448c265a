import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';
import { LabelSelectorSchema } from './pod.js';

const strict = { additionalProperties: false };

/** A CIDR and the CIDRs inside it that are left out (Kubernetes' IPBlock). */
export const IPBlockSchema = Type.Object({
  cidr: Type.String({ minLength: 1 }),
  except: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
}, strict);

/** Who a rule lets in (from) or out to (to): pods, namespaces, both (pods in those namespaces), or an ipBlock. */
export const NetworkPolicyPeerSchema = Type.Object({
  podSelector: Type.Optional(LabelSelectorSchema),
  namespaceSelector: Type.Optional(LabelSelectorSchema),
  ipBlock: Type.Optional(IPBlockSchema),
}, strict);

/** A port by number or by a container port's name; endPort makes a range (numbers only). */
export const NetworkPolicyPortSchema = Type.Object({
  protocol: Type.Optional(Type.Union([Type.Literal('TCP'), Type.Literal('UDP'), Type.Literal('SCTP')])),
  port: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 65535 }), Type.String({ minLength: 1, maxLength: 15 })], { description: 'a port number (1-65535) or the name of a container port' })),
  endPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
}, strict);

/** One ingress rule: traffic from any of `from` (absent or empty: anyone) to any of `ports` (absent or empty: all). */
export const NetworkPolicyIngressRuleSchema = Type.Object({
  from: Type.Optional(Type.Array(NetworkPolicyPeerSchema)),
  ports: Type.Optional(Type.Array(NetworkPolicyPortSchema)),
}, strict);

/** One egress rule: traffic to any of `to` (absent or empty: anywhere) on any of `ports`. */
export const NetworkPolicyEgressRuleSchema = Type.Object({
  to: Type.Optional(Type.Array(NetworkPolicyPeerSchema)),
  ports: Type.Optional(Type.Array(NetworkPolicyPortSchema)),
}, strict);

/** networking.k8s.io/v1 NetworkPolicy: which traffic the selected pods of its namespace accept and send. */
export const NetworkPolicySchema = Type.Object({
  apiVersion: Type.Literal('networking.k8s.io/v1'),
  kind: Type.Literal('NetworkPolicy'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    podSelector: LabelSelectorSchema,
    policyTypes: Type.Optional(Type.Array(Type.Union([Type.Literal('Ingress'), Type.Literal('Egress')]), { maxItems: 2 })),
    ingress: Type.Optional(Type.Array(NetworkPolicyIngressRuleSchema)),
    egress: Type.Optional(Type.Array(NetworkPolicyEgressRuleSchema)),
  }, strict),
}, strict);

export type NetworkPolicy = Static<typeof NetworkPolicySchema>;
export type NetworkPolicyPeer = Static<typeof NetworkPolicyPeerSchema>;
export type NetworkPolicyPort = Static<typeof NetworkPolicyPortSchema>;
export type IPBlock = Static<typeof IPBlockSchema>;
