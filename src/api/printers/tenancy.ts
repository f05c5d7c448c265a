/** `get resourcequotas`: kube-apiserver's columns (NAME AGE REQUEST LIMIT). */
import type { ResourceQuota } from '../schema/tenancy.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** "name: used/hard, ..." for the resources PICK selects, in name order. */
function usage(q: ResourceQuota, pick: (resource: string) => boolean): string {
  const hard = q.status?.hard ?? q.spec?.hard ?? {};
  const used = q.status?.used ?? {};
  return Object.keys(hard).filter(pick).sort().map((r) => `${r}: ${String(used[r] ?? 0)}/${String(hard[r])}`).join(', ');
}

/** REQUEST holds every resource but limits.*, LIMIT the limits.* ones, as kubectl shows them. */
export const resourceQuotaTable: TableDefinition<ResourceQuota> = {
  columns: [
    nameColumn,
    ageColumn,
    column<ResourceQuota>('Request', (q) => usage(q, (r) => !r.startsWith('limits.'))),
    column<ResourceQuota>('Limit', (q) => usage(q, (r) => r.startsWith('limits.'))),
  ],
};
