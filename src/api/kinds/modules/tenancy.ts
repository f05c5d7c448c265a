/**
 * Namespaces as tenants (core v1): ResourceQuota and LimitRange. Core kinds, in a file of their own so
 * the tenancy part does not edit core.ts.
 */
import type { LimitRange, ResourceQuota } from '../../schema/tenancy.js';
import { defineKind } from '../module.js';

/** The ResourceQuota kind (core v1, namespaced): hard limits on a namespace's requests and object counts. */
export const resourceQuotaModule = defineKind<ResourceQuota>({
  kind: 'ResourceQuota', resource: 'resourcequotas', singular: 'resourcequota', shortNames: ['quota'], namespaced: true, group: '', version: 'v1',
  subresources: { status: true },
  selectableFields: (q) => ({ 'metadata.name': q.metadata.name, 'metadata.namespace': q.metadata.namespace ?? 'default' }),
  table: async () => (await import('../../printers/tenancy.js')).resourceQuotaTable,
});

/** The LimitRange kind (core v1, namespaced): defaults and bounds for containers, pods and claims. */
export const limitRangeModule = defineKind<LimitRange>({
  kind: 'LimitRange', resource: 'limitranges', singular: 'limitrange', shortNames: ['limits'], namespaced: true, group: '', version: 'v1',
  subresources: { status: false },
  selectableFields: (l) => ({ 'metadata.name': l.metadata.name, 'metadata.namespace': l.metadata.namespace ?? 'default' }),
});
