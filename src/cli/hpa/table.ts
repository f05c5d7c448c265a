/** kubectl's `get hpa` table: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE. */
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';
import { kubeAge } from '../output/durations.js';
import type { Table, TableOptions } from '../output/kube-tables.js';

/** "45%/70%": current cpu utilization over the target; "<unknown>" before the first measurement. */
export function hpaTargets(h: HorizontalPodAutoscaler): string {
  const current = h.status?.currentMetrics?.find((m) => m.resource.name === 'cpu')?.resource.current.averageUtilization;
  const parts = (h.spec.metrics ?? []).map((m) => `${current === undefined ? '<unknown>' : `${current}%`}/${m.resource.target.averageUtilization ?? '<unset>'}%`);
  return parts.length === 0 ? '<none>' : parts.join(', ');
}

/** The target as kubectl names it: Deployment/web. */
export const hpaReference = (h: HorizontalPodAutoscaler): string => `${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`;

/** The table rows, one per autoscaler. */
export function hpaTable(hs: HorizontalPodAutoscaler[], o: TableOptions, now: number): Table {
  const header = ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'];
  const rows = hs.map((h) => [
    h.metadata.name, hpaReference(h), hpaTargets(h), String(h.spec.minReplicas ?? 1), String(h.spec.maxReplicas),
    String(h.status?.currentReplicas ?? 0), kubeAge(h.metadata.creationTimestamp, now),
  ]);
  if (o.labels) {
    header.push('LABELS');
    rows.forEach((r, i) => { const l = Object.entries(hs[i]!.metadata.labels ?? {}); r.push(l.length === 0 ? '<none>' : l.map(([k, v]) => `${k}=${v}`).join(',')); });
  }
  if (o.namespaces) { header.unshift('NAMESPACE'); rows.forEach((r, i) => r.unshift(hs[i]!.metadata.namespace ?? 'default')); }
  return { header, rows };
}
