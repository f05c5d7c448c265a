/**
 * The discovery.k8s.io/v1 group: EndpointSlice. Each kind's module: names, scope, subresources,
 * fields, and where its table and describe view are.
 */
import type { EndpointSlice } from '../../schema/endpoint-slice.js';
import { defineKind } from '../module.js';

/** The EndpointSlice kind (discovery.k8s.io/v1, namespaced): up to 100 backends of one Service, kept by its controller. */
export const endpointSliceModule = defineKind<EndpointSlice>({
  kind: 'EndpointSlice', resource: 'endpointslices', singular: 'endpointslice', shortNames: [], namespaced: true, group: 'discovery.k8s.io', version: 'v1',
  subresources: { status: false },
  selectableFields: (es) => ({
    'metadata.name': es.metadata.name,
    'metadata.namespace': es.metadata.namespace ?? 'default',
    addressType: es.addressType ?? '',
  }),
  table: async () => (await import('../../printers/endpoint-slice.js')).endpointSliceTable,
});
