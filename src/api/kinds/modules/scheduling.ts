/**
 * The scheduling.k8s.io/v1 group: PriorityClass. Each kind's module: names, scope, subresources,
 * fields, and where its table and describe view are.
 */
import type { PriorityClass } from '../../schema/priority-class.js';
import { defineKind } from '../module.js';

/** The PriorityClass kind (scheduling.k8s.io/v1, cluster-scoped): a named pod priority. */
export const priorityClassModule = defineKind<PriorityClass>({
  kind: 'PriorityClass', resource: 'priorityclasses', singular: 'priorityclass', shortNames: ['pc'], namespaced: false, group: 'scheduling.k8s.io', version: 'v1',
  subresources: { status: false },
  selectableFields: (pc) => ({ 'metadata.name': pc.metadata.name }),
  table: async () => (await import('../../printers/scheduling.js')).priorityClassTable,
});
