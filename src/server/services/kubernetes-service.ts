/**
 * `default/kubernetes`, as kube-apiserver keeps it: a ClusterIP Service at the first address of the
 * service CIDR, port 443 (https) to the API server, without a selector, and its EndpointSlice
 * naming the API server's address (written here, not by the EndpointSlice controller).
 */
import { ApiError } from '../../api/errors.js';
import { managedByLabel, serviceNameLabel, type Service } from '../../api/schema/service.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';
import type { ApiClient } from '../../client/types.js';
import { kubernetesServiceIP } from './service-allocator.js';
import type { ServiceRanges } from './ranges.js';

/** The managed-by value of the API server's own slice. */
export const apiServerManager = 'lanternd-server';

const ignoreExists = (e: unknown): void => { if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e; };

/** Create default/kubernetes and its slice, or bring the slice to the API server's address and port. */
export async function ensureKubernetesService(api: Pick<ApiClient, 'create' | 'get' | 'update'>, ranges: ServiceRanges, server: { ip: string; port: number }): Promise<Service> {
  const svc: Service = {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: kubernetesServiceIP(ranges), ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: server.port }] },
  };
  const stored = await api.create<Service>('services', svc).catch(async (e: unknown) => { ignoreExists(e); return api.get<Service>('services', 'kubernetes', 'default'); });
  // A restarted server may listen on another port: the Service follows it.
  if (JSON.stringify(stored.spec.ports) !== JSON.stringify(svc.spec.ports)) {
    await api.update<Service>('services', { ...stored, spec: { ...stored.spec, ports: svc.spec.ports } });
  }
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { [serviceNameLabel]: 'kubernetes', [managedByLabel]: apiServerManager } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [server.ip], conditions: { ready: true, serving: true, terminating: false } }],
    ports: [{ name: 'https', protocol: 'TCP', port: server.port }],
  };
  try {
    await api.create<EndpointSlice>('endpointslices', slice);
  } catch (e) {
    ignoreExists(e);
    const cur = await api.get<EndpointSlice>('endpointslices', 'kubernetes', 'default');
    if (JSON.stringify([cur.endpoints, cur.ports]) !== JSON.stringify([slice.endpoints, slice.ports])) {
      await api.update<EndpointSlice>('endpointslices', { ...slice, metadata: { ...slice.metadata, resourceVersion: cur.metadata.resourceVersion } });
    }
  }
  return api.get<Service>('services', 'kubernetes', 'default');
}
