/** lantern.dev/v1 Network: a user-defined network, as `docker network create` makes one (cluster-scoped). */
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema } from './meta.js';

const strict = { additionalProperties: false };

/** The drivers a Network may name (Docker's, plus host-device and sriov). */
export const NETWORK_DRIVERS = ['bridge', 'macvlan', 'ipvlan', 'host-device', 'sriov'] as const;

/** The Network's spec: fixed at creation (delete and re-create to change it, as Docker). */
export const NetworkSpecSchema = Type.Object({
  driver: Type.Union(NETWORK_DRIVERS.map((d) => Type.Literal(d)), { description: 'bridge (default), macvlan, ipvlan, host-device or sriov' }),
  /** IPv4 CIDR the network's addresses come from. */
  subnet: Type.String({ maxLength: 64 }),
  /** Default: the subnet's first address. */
  gateway: Type.Optional(Type.String({ maxLength: 64 })),
  /** A CIDR inside the subnet that containers' addresses are allocated from (docker --ip-range). */
  ipRange: Type.Optional(Type.String({ maxLength: 64 })),
  /** macvlan/ipvlan: the host interface the network hangs off; host-device: the device moved into the pod. */
  parent: Type.Optional(Type.String({ maxLength: 15 })),
  /** 802.1Q VLAN id: macvlan/ipvlan use PARENT.VLAN, sriov sets it on the VF through the PF. */
  vlan: Type.Optional(Type.Integer({ minimum: 1, maximum: 4094 })),
  /** sriov: the physical function (PF) whose virtual functions pods get. */
  physicalInterface: Type.Optional(Type.String({ maxLength: 15 })),
  /** sriov: enable this many VFs through sriov_numvfs when fewer are enabled. */
  numVFs: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
  /** Driver options as given (-o k=v); the known ones above are read from their fields. */
  options: Type.Optional(Type.Record(Type.String({ maxLength: 253 }), Type.String({ maxLength: 1024 }), { maxProperties: 64 })),
}, strict);

/** lantern.dev/v1 Network (cluster-scoped). */
export const NetworkSchema = Type.Object({
  apiVersion: Type.Literal('lantern.dev/v1'),
  kind: Type.Literal('Network'),
  metadata: ObjectMetaSchema,
  spec: NetworkSpecSchema,
}, strict);

export type Network = Static<typeof NetworkSchema>;
export type NetworkSpec = Static<typeof NetworkSpecSchema>;
export type NetworkDriver = (typeof NETWORK_DRIVERS)[number];
