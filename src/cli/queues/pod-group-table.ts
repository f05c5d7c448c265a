/** `lcctl get podgroups`: NAME STATUS MINMEMBER SCHEDULED AGE [MESSAGE], from what the scheduler wrote. */
import type { PodGroup } from '../../api/schema/pod-group.js';
import { kubeAge } from '../output/durations.js';
import type { Table, TableOptions } from '../output/kube-tables.js';

/** One row per PodGroup; STATUS is Pending until the scheduler has placed minMember together; -o wide adds why it waits. */
export function podGroupTable(groups: PodGroup[], o: TableOptions, now: number): Table {
  const header = ['NAME', 'STATUS', 'MINMEMBER', 'SCHEDULED', 'AGE'];
  if (o.wide) header.push('MESSAGE');
  if (o.namespaces) header.unshift('NAMESPACE');
  const rows = groups.map((g) => {
    const r = [g.metadata.name, g.status?.phase ?? 'Pending', String(g.spec.minMember), String(g.status?.scheduled ?? 0), kubeAge(g.metadata.creationTimestamp, now)];
    if (o.wide) r.push(g.status?.message ?? '<none>');
    if (o.namespaces) r.unshift(g.metadata.namespace ?? 'default');
    return r;
  });
  return { header, rows };
}
