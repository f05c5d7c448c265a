import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, StringMap } from './meta.js';

const strict = { additionalProperties: false };

/** A transport protocol, as core v1 Protocol. */
export const ProtocolSchema = Type.Union([Type.Literal('TCP'), Type.Literal('UDP'), Type.Literal('SCTP')]);

/** A container port: a number 1-65535 or an IANA_SVC_NAME looked up in the pod's containerPorts. */
export const TargetPortSchema = Type.Union([
  Type.Integer({ minimum: 1, maximum: 65535 }),
  Type.String({ minLength: 1, maxLength: 15, description: 'a port number or a container port name' }),
]);

/** One port of a Service (core v1 ServicePort). */
export const ServicePortSchema = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 63 })),
  protocol: Type.Optional(ProtocolSchema),
  appProtocol: Type.Optional(Type.String({ maxLength: 253 })),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  targetPort: Type.Optional(TargetPortSchema),
  nodePort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
}, strict);

/** The kinds of Service: headless is ClusterIP with `clusterIP: None`. */
export const ServiceTypeSchema = Type.Union([
  Type.Literal('ClusterIP'), Type.Literal('NodePort'), Type.Literal('ExternalName'), Type.Literal('LoadBalancer'),
]);

/** core v1 Service: a stable virtual IP (or a DNS name) in front of the pods its selector picks. */
export const ServiceSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('Service'),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    type: Type.Optional(ServiceTypeSchema),
    selector: Type.Optional(StringMap),
    ports: Type.Optional(Type.Array(ServicePortSchema, { maxItems: 100 })),
    clusterIP: Type.Optional(Type.String({ maxLength: 64, description: 'an IPv4 address in the service CIDR, "None" or ""' })),
    clusterIPs: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 2 })),
    ipFamilies: Type.Optional(Type.Array(Type.Union([Type.Literal('IPv4'), Type.Literal('IPv6')]), { maxItems: 2 })),
    ipFamilyPolicy: Type.Optional(Type.Union([Type.Literal('SingleStack'), Type.Literal('PreferDualStack'), Type.Literal('RequireDualStack')])),
    externalName: Type.Optional(Type.String({ maxLength: 253 })),
    externalIPs: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 16 })),
    sessionAffinity: Type.Optional(Type.Union([Type.Literal('None'), Type.Literal('ClientIP')])),
    sessionAffinityConfig: Type.Optional(Type.Object({
      clientIP: Type.Optional(Type.Object({
        timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
      }, strict)),
    }, strict)),
    publishNotReadyAddresses: Type.Optional(Type.Boolean()),
    externalTrafficPolicy: Type.Optional(Type.Union([Type.Literal('Cluster'), Type.Literal('Local')])),
    internalTrafficPolicy: Type.Optional(Type.Union([Type.Literal('Cluster'), Type.Literal('Local')])),
  }, strict),
  status: Type.Optional(Type.Object({
    loadBalancer: Type.Optional(Type.Object({
      ingress: Type.Optional(Type.Array(Type.Object({
        ip: Type.Optional(Type.String({ maxLength: 64 })),
        hostname: Type.Optional(Type.String({ maxLength: 253 })),
      }, strict), { maxItems: 16 })),
    }, strict)),
  }, strict)),
}, strict);

export type Service = Static<typeof ServiceSchema>;
export type ServiceSpec = Service['spec'];
export type ServicePort = Static<typeof ServicePortSchema>;
export type ServiceType = Static<typeof ServiceTypeSchema>;
export type Protocol = Static<typeof ProtocolSchema>;
export type TargetPort = Static<typeof TargetPortSchema>;

/** The label an EndpointSlice carries naming its Service (discovery.k8s.io). */
export const serviceNameLabel = 'kubernetes.io/service-name';
/** The label naming who manages an EndpointSlice. */
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
/** Kubernetes' default ClientIP affinity timeout: three hours. */
export const defaultAffinityTimeoutSeconds = 10800;
/** `spec.clusterIP` of a headless Service. */
export const headlessClusterIP = 'None';

/** True when the Service has no virtual IP (headless): DNS answers with the endpoints' IPs. */
export function isHeadless(svc: Pick<Service, 'spec'>): boolean {
  return svc.spec.clusterIP === headlessClusterIP;
}
