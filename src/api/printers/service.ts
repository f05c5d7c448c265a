/** `get svc` (NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide: SELECTOR) as kubectl prints it. */
import type { Service } from '../schema/service.js';
import { labelText } from './labels.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** "80/TCP,443:30443/TCP" ("<none>" without ports), as kubectl's PORT(S). */
export function servicePorts(s: Service): string {
  const ports = s.spec.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

/** CLUSTER-IP: the IP, "None" for a headless Service, "<none>" for ExternalName. */
export function serviceClusterIP(s: Service): string {
  if (s.spec.type === 'ExternalName') return '<none>';
  return s.spec.clusterIP || '<none>';
}

/** EXTERNAL-IP: externalName for ExternalName, else the externalIPs, else "<none>". */
export function serviceExternalIP(s: Service): string {
  if (s.spec.type === 'ExternalName') return s.spec.externalName ?? '<none>';
  const ips = [...(s.spec.externalIPs ?? []), ...(s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '')].filter((x) => x !== '');
  return ips.length === 0 ? '<none>' : ips.join(',');
}

/** The Service table. */
export const serviceTable: TableDefinition<Service> = {
  columns: [
    nameColumn,
    column<Service>('Type', (s) => s.spec.type ?? 'ClusterIP'),
    column<Service>('Cluster-IP', serviceClusterIP),
    column<Service>('External-IP', serviceExternalIP),
    column<Service>('Port(s)', servicePorts),
    ageColumn,
    column<Service>('Selector', (s) => labelText(s.spec.selector), 1),
  ],
};
