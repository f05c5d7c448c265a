/** The coordination.k8s.io/v1 Lease kind: schema and validation (Kubernetes' ValidateLeaseSpec). */
import type { KindInfo } from './kind.js';
import { leaseModule } from './modules/coordination.js';
import type { FieldCause } from '../errors.js';
import { LeaseSchema, type Lease } from '../schema/lease.js';
import { withRules } from './with-rules.js';

/** A MicroTime the API accepts: RFC 3339 that Date parses. */
const badTime = (t: string | undefined): boolean => t !== undefined && (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(t) || Number.isNaN(Date.parse(t)));

/** Lease validation beyond the schema: times that parse. */
export function checkLease(l: Lease): FieldCause[] {
  const out: FieldCause[] = [];
  for (const f of ['acquireTime', 'renewTime'] as const) {
    const v = l.spec?.[f];
    if (badTime(v)) out.push({ field: `spec.${f}`, message: `Invalid value: ${JSON.stringify(v)}: must be an RFC 3339 time such as 2024-01-02T03:04:05.123456Z` });
  }
  return out;
}

/** The Lease kind (coordination.k8s.io/v1). */
export const leaseKind: KindInfo<Lease> = withRules(leaseModule, { schema: LeaseSchema, check: checkLease });
