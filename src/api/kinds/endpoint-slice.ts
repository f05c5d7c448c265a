/** The discovery.k8s.io/v1 EndpointSlice kind: schema and validation. */
import type { KindInfo } from './kind.js';
import { endpointSliceModule } from './modules/discovery.js';
import type { FieldCause } from '../errors.js';
import { EndpointSliceSchema, maxEndpointsPerSlice, type EndpointSlice } from '../schema/endpoint-slice.js';
import { ipFamily } from '../ip.js';
import { checkLabel, checkSubdomain } from '../names.js';
import { withRules } from './with-rules.js';

/** EndpointSlice validation beyond the schema: addresses of the slice's type, ports named once */
export function checkEndpointSlice(es: EndpointSlice): FieldCause[] {
  const out: FieldCause[] = [];
  // Kubernetes allows 1000 endpoints per slice; its controller writes at most 100, and so does ours.
  if (es.endpoints.length > 1000) out.push({ field: 'endpoints', message: `Too many: ${es.endpoints.length}: must have at most 1000 items (the controller writes ${maxEndpointsPerSlice})` });
  es.endpoints.forEach((ep, i) => {
    ep.addresses.forEach((a, j) => {
      const field = `endpoints[${i}].addresses[${j}]`;
      if (es.addressType === 'FQDN') {
        if (checkSubdomain(a) !== undefined) out.push({ field, message: `Invalid value: ${JSON.stringify(a)}: must be a DNS name (addressType FQDN)` });
      } else if (ipFamily(a) !== (es.addressType === 'IPv4' ? 4 : 6)) {
        out.push({ field, message: `Invalid value: ${JSON.stringify(a)}: must be an ${es.addressType} address (addressType ${es.addressType})` });
      }
    });
  });
  const names = new Set<string>();
  (es.ports ?? []).forEach((p, i) => {
    const name = p.name ?? '';
    if (name !== '') { const bad = checkLabel(name); if (bad) out.push({ field: `ports[${i}].name`, message: bad }); }
    if (names.has(name)) out.push({ field: `ports[${i}].name`, message: `Duplicate value: ${JSON.stringify(name)}` });
    names.add(name);
  });
  return out;
}

/** The EndpointSlice kind (discovery.k8s.io/v1). */
export const endpointSliceKind: KindInfo<EndpointSlice> = withRules(endpointSliceModule, {
  schema: EndpointSliceSchema,
  check: checkEndpointSlice,
  validateUpdate(oldObj, newObj) {
    return oldObj.addressType === newObj.addressType ? [] : [{ field: 'addressType', message: 'Invalid value: field is immutable' }];
  },
});
