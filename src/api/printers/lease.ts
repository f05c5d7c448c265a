/** `get leases`: kube-apiserver's Lease table. */
import type { Lease } from '../schema/lease.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** NAME HOLDER AGE, as kubectl prints leases. */
export const leaseTable: TableDefinition<Lease> = {
  columns: [
    nameColumn,
    column<Lease>('Holder', (l) => l.spec?.holderIdentity ?? '<none>'),
    ageColumn,
  ],
};
