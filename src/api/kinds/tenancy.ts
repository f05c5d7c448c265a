import type { KindInfo } from './kind.js';
import { limitRangeModule, resourceQuotaModule } from './modules/tenancy.js';
import { LimitRangeSchema, ResourceQuotaSchema, type LimitRange, type ResourceList, type ResourceQuota } from '../schema/tenancy.js';
import type { FieldCause } from '../errors.js';
import { amountOf } from '../resource-list.js';
import { withRules } from './with-rules.js';

const resourceName = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Each name a resource name and each value a non-negative quantity; the parsed amounts. */
function checkList(list: ResourceList | undefined, path: string, out: FieldCause[]): Map<string, number> {
  const amounts = new Map<string, number>();
  for (const [r, q] of Object.entries(list ?? {})) {
    if (!resourceName.test(r)) { out.push({ field: `${path}[${r}]`, message: 'must be a resource name such as cpu, requests.memory, nvidia.com/gpu or count/deployments.apps' }); continue; }
    const a = amountOf(r, q);
    if (a === undefined) out.push({ field: `${path}[${r}]`, message: `${JSON.stringify(q)} is not a quantity: expected a number with an optional suffix such as 500m, 2, 64Mi or 1G` });
    else if (a < 0) out.push({ field: `${path}[${r}]`, message: 'must be greater than or equal to 0' });
    else amounts.set(r, a);
  }
  return amounts;
}

/** The ResourceQuota kind: hard is a list of non-negative quantities; status is kept by the server. */
export const resourceQuotaKind: KindInfo<ResourceQuota> = withRules(resourceQuotaModule, {
  schema: ResourceQuotaSchema,
  check(q) {
    const out: FieldCause[] = [];
    checkList(q.spec?.hard, 'spec.hard', out);
    checkList(q.status?.hard, 'status.hard', out);
    checkList(q.status?.used, 'status.used', out);
    return out;
  },
});

/** Kubernetes' LimitRange rules: min <= defaultRequest <= default <= max, ratios >= 1, no defaults for Pod. */
export const limitRangeKind: KindInfo<LimitRange> = withRules(limitRangeModule, {
  schema: LimitRangeSchema,
  check(lr) {
    const out: FieldCause[] = [];
    lr.spec.limits.forEach((item, i) => {
      const at = `spec.limits[${i}]`;
      const min = checkList(item.min, `${at}.min`, out);
      const max = checkList(item.max, `${at}.max`, out);
      const def = checkList(item.default, `${at}.default`, out);
      const defReq = checkList(item.defaultRequest, `${at}.defaultRequest`, out);
      const ratio = checkList(item.maxLimitRequestRatio, `${at}.maxLimitRequestRatio`, out);
      if (item.type !== 'Container' && (item.default !== undefined || item.defaultRequest !== undefined)) {
        out.push({ field: `${at}.default`, message: `may not be specified when type is ${item.type}: defaults apply to containers only` });
      }
      for (const [r, m] of min) {
        const hi = max.get(r);
        if (hi !== undefined && m > hi) out.push({ field: `${at}.min[${r}]`, message: `min value ${String(item.min?.[r])} is greater than max value ${String(item.max?.[r])}` });
      }
      for (const [r, d] of defReq) {
        const lo = min.get(r); const hi = max.get(r); const dl = def.get(r);
        if (lo !== undefined && d < lo) out.push({ field: `${at}.defaultRequest[${r}]`, message: `min value ${String(item.min?.[r])} is greater than default request value ${String(item.defaultRequest?.[r])}` });
        if (hi !== undefined && d > hi) out.push({ field: `${at}.defaultRequest[${r}]`, message: `default request value ${String(item.defaultRequest?.[r])} is greater than max value ${String(item.max?.[r])}` });
        if (dl !== undefined && d > dl) out.push({ field: `${at}.defaultRequest[${r}]`, message: `default request value ${String(item.defaultRequest?.[r])} is greater than default limit value ${String(item.default?.[r])}` });
      }
      for (const [r, d] of def) {
        const lo = min.get(r); const hi = max.get(r);
        if (lo !== undefined && d < lo) out.push({ field: `${at}.default[${r}]`, message: `min value ${String(item.min?.[r])} is greater than default value ${String(item.default?.[r])}` });
        if (hi !== undefined && d > hi) out.push({ field: `${at}.default[${r}]`, message: `default value ${String(item.default?.[r])} is greater than max value ${String(item.max?.[r])}` });
      }
      for (const [r, v] of ratio) {
        // Ratios are plain numbers (amountOf counts CPU names in millis, so compare with what was written).
        const n = Number(item.maxLimitRequestRatio?.[r]);
        if (!(v > 0) || !(n >= 1)) out.push({ field: `${at}.maxLimitRequestRatio[${r}]`, message: 'ratio must be greater than or equal to 1' });
      }
    });
    return out;
  },
});
