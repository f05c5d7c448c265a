/** Why a queue's head job does not fit, in words a user can act on. */
import { type Res, add, firstOver, formatOne } from './resources.js';
import type { QueueInfo } from './plan.js';
import type { Ledger } from './ledger.js';

/** "quota exhausted (cpu 8/8)", "cluster full (gpu 4/4)", or the cohort's limit. */
export function whyNotFit(l: Ledger, q: QueueInfo, d: Res): string {
  const own = add(l.used(q.name), d);
  const over = firstOver(own, q.quota);
  if (over !== undefined && q.cohort === undefined) {
    return `quota exhausted (${over} ${formatOne(over, l.used(q.name)[over])}/${formatOne(over, q.quota[over])}, the job needs ${formatOne(over, d[over])})`;
  }
  if (q.cohort !== undefined) {
    const c = l.cohortSums(q.cohort);
    const cr = firstOver(add(c.used, d), c.quota);
    if (cr !== undefined) {
      const usage = over !== undefined ? `${over} ${formatOne(over, l.used(q.name)[over])}/${formatOne(over, q.quota[over])}` : '';
      const mine = over === undefined ? 'its quota is lent out: '
        : l.used(q.name)[over] >= q.quota[over] ? `quota exhausted (${usage}) and ` : `its quota has too little left (${usage} in use) and `;
      return `${mine}cohort ${q.cohort} has no idle quota (${cr} ${formatOne(cr, c.used[cr])}/${formatOne(cr, c.quota[cr])}, the job needs ${formatOne(cr, d[cr])})`;
    }
  }
  const full = firstOver(add(l.total, d), l.capacity);
  if (full !== undefined && l.capacity[full] === 0) return `no Ready node offers ${full} (the job needs ${formatOne(full, d[full])})`;
  if (full !== undefined) return `cluster full (${full} ${formatOne(full, l.total[full])}/${formatOne(full, l.capacity[full])} in use, the job needs ${formatOne(full, d[full])})`;
  return 'waiting for the next pass';
}
