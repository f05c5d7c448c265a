/**
 * The node.k8s.io/v1 group: RuntimeClass. Each kind's module: names, scope, subresources, fields, and
 * where its table is.
 */
import type { RuntimeClass } from '../../schema/runtime-class.js';
import { defineKind } from '../module.js';

/** The RuntimeClass kind (node.k8s.io/v1, cluster-scoped): a name for a node runtime handler. */
export const runtimeClassModule = defineKind<RuntimeClass>({
  kind: 'RuntimeClass', resource: 'runtimeclasses', singular: 'runtimeclass', shortNames: [], namespaced: false, group: 'node.k8s.io', version: 'v1',
  subresources: { status: false },
  selectableFields: (rc) => ({ 'metadata.name': rc.metadata.name }),
  table: async () => (await import('../../printers/runtime-class.js')).runtimeClassTable,
});
