/** Services and EndpointSlices as the API would hand them out, for the proxy's tests and benchmark. */
import type { Service } from '../../api/schema/service.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';

/** A ClusterIP Service `ns/name` at `ip` with one TCP port (`port`, named `http`); `spec` overrides. */
export function fixtureService(name: string, ip: string, port: number, spec: Partial<Service['spec']> = {}, ns = 'default'): Service {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns },
    spec: { type: 'ClusterIP', clusterIP: ip, ports: [{ name: 'http', protocol: 'TCP', port }], ...spec },
  };
}

/** A slice of `svc` with the `ready` and the `unready` addresses, all on `targetPort` (named `http`). */
export function fixtureSlice(svc: string, targetPort: number, ready: readonly string[], unready: readonly string[] = [], ns = 'default', suffix = 'a'): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { name: `${svc}-${suffix}`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    ports: [{ name: 'http', protocol: 'TCP', port: targetPort }],
    endpoints: [
      ...ready.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
      ...unready.map((ip) => ({ addresses: [ip], conditions: { ready: false } })),
    ],
  };
}
