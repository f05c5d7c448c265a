/** The quota controller's pure step: the status a ResourceQuota should have for what its namespace uses. */
import type { ResourceQuota } from '../../api/schema/tenancy.js';
import { amountsOf, listOf, type Amounts } from '../../api/resource-list.js';

/** status.hard (spec.hard as written) and status.used (USED, for the names of spec.hard only). */
export function quotaStatus(quota: ResourceQuota, used: Amounts): NonNullable<ResourceQuota['status']> {
  const hard = quota.spec?.hard ?? {};
  const mine: Amounts = new Map(Object.keys(hard).map((r) => [r, used.get(r) ?? 0]));
  return { hard: { ...hard }, used: listOf(mine) };
}

/** True when STATUS differs from what QUOTA holds (so a write is needed). */
export const statusChanged = (quota: ResourceQuota, status: NonNullable<ResourceQuota['status']>): boolean =>
  JSON.stringify(quota.status ?? {}) !== JSON.stringify(status);

/** True when STATUS gives back some of what QUOTA's recorded status.used holds (a recorded status only). */
export function lowers(quota: ResourceQuota, status: NonNullable<ResourceQuota['status']>): boolean {
  if (quota.status?.used === undefined) return false;
  const before = amountsOf(quota.status.used);
  const after = amountsOf(status.used);
  return [...after].some(([r, a]) => a < (before.get(r) ?? 0));
}
