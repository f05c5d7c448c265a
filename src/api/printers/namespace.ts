/** `get namespaces`: kube-apiserver's columns. */
import type { Namespace } from '../schema/namespace.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** NAME STATUS AGE; a namespace being deleted shows Terminating. */
export const namespaceTable: TableDefinition<Namespace> = {
  columns: [
    nameColumn,
    column<Namespace>('Status', (ns) => (ns.metadata.deletionTimestamp !== undefined ? 'Terminating' : ns.status?.phase ?? 'Active')),
    ageColumn,
  ],
};
