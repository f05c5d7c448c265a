/** Service and EndpointSlice objects for the DNS tests (shapes as the API stores them). */
import type { EndpointSlice, Endpoint } from '../../api/schema/endpoint-slice.js';
import type { Service, ServiceSpec } from '../../api/schema/service.js';

/** A Service NAME in NS with spec. */
export function svc(ns: string, name: string, spec: ServiceSpec): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec };
}

/** An EndpointSlice of Service service with endpoints and named ports. */
export function slice(ns: string, service: string, name: string, endpoints: Endpoint[], ports: EndpointSlice['ports'] = []): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name, namespace: ns, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4', endpoints, ports,
  };
}

/** A ready endpoint. */
export const ready = (ip: string, hostname?: string): Endpoint => ({ addresses: [ip], conditions: { ready: true }, ...(hostname ? { hostname } : {}) });
/** An endpoint whose pod is not ready. */
export const notReady = (ip: string): Endpoint => ({ addresses: [ip], conditions: { ready: false } });
