/** `get endpointslices` (NAME ADDRESSTYPE PORTS ENDPOINTS AGE) as kubectl prints it. */
import type { EndpointSlice } from '../schema/endpoint-slice.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** "80,443", "<unset>" for a port without a number, "<none>" without ports (kubectl's formatPorts). */
export function slicePorts(es: EndpointSlice): string {
  const ports = es.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.port === undefined ? '<unset>' : String(p.port))).join(',');
}

/** The first three addresses and "+ N more...", "<none>" when empty (kubectl's formatEndpointSlices). */
export function sliceEndpoints(es: EndpointSlice): string {
  const all = es.endpoints.flatMap((e) => e.addresses);
  if (all.length === 0) return '<none>';
  const shown = all.slice(0, 3).join(',');
  return all.length > 3 ? `${shown} + ${all.length - 3} more...` : shown;
}

/** The EndpointSlice table. */
export const endpointSliceTable: TableDefinition<EndpointSlice> = {
  columns: [
    nameColumn,
    column<EndpointSlice>('AddressType', (es) => es.addressType),
    column<EndpointSlice>('Ports', slicePorts),
    column<EndpointSlice>('Endpoints', sliceEndpoints),
    ageColumn,
  ],
};
