/** kubectl's `get` tables for Deployments and ReplicaSets. */
import type { Deployment, ReplicaSet } from '../../api/schema/apps.js';
import type { LabelSelector } from '../../api/schema/pod.js';
import { kubeAge } from './durations.js';
import type { Table, TableOptions } from './kube-tables.js';

/** A selector as kubectl prints it: app=web,tier in (a,b). */
export function selectorString(sel: LabelSelector | undefined): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of sel?.matchExpressions ?? []) {
    if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${(r.values ?? []).join(',')})`);
  }
  return parts.length === 0 ? '<none>' : parts.join(',');
}

const labelText = (l: Record<string, string> | undefined): string => {
  const e = Object.entries(l ?? {});
  return e.length === 0 ? '<none>' : e.map(([k, v]) => `${k}=${v}`).join(',');
};

function finish(header: string[], rows: string[][], objs: (Deployment | ReplicaSet)[], o: TableOptions): Table {
  if (o.wide) header.push('CONTAINERS', 'IMAGES', 'SELECTOR');
  if (o.labels) header.push('LABELS');
  if (o.namespaces) header.unshift('NAMESPACE');
  rows.forEach((r, i) => {
    const x = objs[i]!;
    const cs = x.spec.template.spec.containers;
    if (o.wide) r.push(cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(','), selectorString(x.spec.selector));
    if (o.labels) r.push(labelText(x.metadata.labels));
    if (o.namespaces) r.unshift(x.metadata.namespace ?? 'default');
  });
  return { header, rows };
}

/** NAME READY UP-TO-DATE AVAILABLE AGE [CONTAINERS IMAGES SELECTOR]. */
export function deploymentTable(ds: Deployment[], o: TableOptions, now: number): Table {
  const rows = ds.map((d) => [
    d.metadata.name,
    `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
    String(d.status?.updatedReplicas ?? 0),
    String(d.status?.availableReplicas ?? 0),
    kubeAge(d.metadata.creationTimestamp, now),
  ]);
  return finish(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], rows, ds, o);
}

/** NAME DESIRED CURRENT READY AGE [CONTAINERS IMAGES SELECTOR]. */
export function replicaSetTable(rss: ReplicaSet[], o: TableOptions, now: number): Table {
  const rows = rss.map((r) => [
    r.metadata.name,
    String(r.spec.replicas ?? 1),
    String(r.status?.replicas ?? 0),
    String(r.status?.readyReplicas ?? 0),
    kubeAge(r.metadata.creationTimestamp, now),
  ]);
  return finish(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], rows, rss, o);
}
