/** `lcctl queue list` / `get queues`: NAME WEIGHT PENDING RUNNING ALLOCATED (cpu/mem/gpu) DESERVED SHARE. */
import type { Queue } from '../../api/schema/queue.js';
import { kubeAge } from '../output/durations.js';
import type { Table, TableOptions } from '../output/kube-tables.js';

const pct = (n: number | undefined): string => (n === undefined ? '<unknown>' : `${Math.round(n * 1000) / 10}%`);

/** The table rows, one per queue; -o wide adds QUOTA and COHORT. */
export function queueTable(qs: Queue[], o: TableOptions, now: number): Table {
  const header = ['NAME', 'WEIGHT', 'PENDING', 'RUNNING', 'ALLOCATED', 'DESERVED', 'SHARE', 'AGE'];
  const rows = qs.map((q) => {
    const a = q.status?.allocated;
    return [
      q.metadata.name, String(q.spec.weight ?? 1), String(q.status?.pending ?? 0), String(q.status?.admitted ?? 0),
      a ? `${a.cpu}/${a.memory}/${a.gpu}` : '0/0B/0', pct(q.status?.deservedShare),
      `${pct(q.status?.dominantShare)}${q.status?.borrowing ? ' (borrowing)' : ''}`, kubeAge(q.metadata.creationTimestamp, now),
    ];
  });
  if (o.wide) {
    header.push('QUOTA', 'COHORT');
    rows.forEach((r, i) => {
      const s = qs[i]!.spec;
      const quota = Object.entries(s.quota ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      r.push(quota || '<unlimited>', s.cohort ?? '<none>');
    });
  }
  return { header, rows };
}
