/** The lantern.dev/v1 Queue kind: schema, defaults, quantity checks. */
import type { KindInfo } from './kind.js';
import { queueModule } from './modules/lantern.js';
import type { FieldCause } from '../errors.js';
import { QueueSchema, type Queue } from '../schema/queue.js';
import { parseQuantity } from '../quantity.js';
import { withRules } from './with-rules.js';

function checkQuota(q: Queue): FieldCause[] {
  const out: FieldCause[] = [];
  for (const [k, v] of Object.entries(q.spec.quota ?? {})) {
    const n = typeof v === 'string' ? parseQuantity(v) : undefined;
    if (n === undefined || n < 0) out.push({ field: `spec.quota.${k}`, message: `invalid quantity ${JSON.stringify(v)}: expected a non-negative number with an optional suffix such as 500m, 8 or 64Gi` });
  }
  return out;
}

/** The Queue kind (lantern.dev/v1, cluster-scoped). */
export const queueKind: KindInfo<Queue> = withRules(queueModule, {
  schema: QueueSchema,
  check: checkQuota,
  applyDefaults(q) {
    q.spec.weight ??= 1;
    q.spec.reclaimWithinCohort ??= 'Any';
  },
});
