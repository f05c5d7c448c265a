/**
 * The coordination.k8s.io/v1 group: Lease. Each kind's module: names, scope, subresources,
 * fields, and where its table and describe view are.
 */
import type { Lease } from '../../schema/lease.js';
import { defineKind } from '../module.js';

/** The Lease kind (coordination.k8s.io/v1, namespaced): who leads the scheduler and controllers (lantern-system). */
export const leaseModule = defineKind<Lease>({
  kind: 'Lease', resource: 'leases', singular: 'lease', shortNames: [], namespaced: true, group: 'coordination.k8s.io', version: 'v1',
  subresources: { status: false },
  selectableFields: (l) => ({
    'metadata.name': l.metadata.name,
    'metadata.namespace': l.metadata.namespace ?? 'default',
  }),
  table: async () => (await import('../../printers/lease.js')).leaseTable,
});
