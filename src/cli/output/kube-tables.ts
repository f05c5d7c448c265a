/** kubectl's `get` tables for pods and nodes (wide adds columns), as header + rows. */
import type { Pod } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import { kubeAge } from './durations.js';
import { kubeReady, kubeRestarts, kubeStatus } from '../pods/status.js';

/** Column headers and cell rows of a table. */
export interface Table { header: string[]; rows: string[][] }

/** Options shared by the kubectl tables. */
export interface TableOptions { wide: boolean; namespaces: boolean; labels: boolean }

function labelText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** NAME READY STATUS RESTARTS AGE [IP NODE]. */
export function podTable(pods: Pod[], o: TableOptions, now: number): Table {
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  if (o.wide) header.push('IP', 'NODE');
  if (o.labels) header.push('LABELS');
  if (o.namespaces) header.unshift('NAMESPACE');
  const rows = pods.map((p) => {
    const r = [p.metadata.name, kubeReady(p), kubeStatus(p), kubeRestarts(p, now), kubeAge(p.metadata.creationTimestamp, now)];
    if (o.wide) r.push(p.status?.podIP || '<none>', p.spec.nodeName || '<none>');
    if (o.labels) r.push(labelText(p.metadata.labels));
    if (o.namespaces) r.unshift(p.metadata.namespace ?? 'default');
    return r;
  });
  return { header, rows };
}

/** A node's STATUS as kubectl shows it: Ready / NotReady / Unknown, plus SchedulingDisabled. */
export function nodeStatus(n: Node): string {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  let s = ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (n.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

/** ROLES from node-role.kubernetes.io/<role> labels. */
export function nodeRoles(n: Node): string {
  const roles = Object.keys(n.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).filter((r) => r !== '');
  return roles.length === 0 ? '<none>' : roles.sort().join(',');
}

/** NAME STATUS ROLES AGE VERSION [INTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME]. */
export function nodeTable(nodes: Node[], o: TableOptions, now: number): Table {
  const header = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
  if (o.wide) header.push('INTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME');
  if (o.labels) header.push('LABELS');
  const rows = nodes.map((n) => {
    const info = n.status?.nodeInfo;
    const r = [n.metadata.name, nodeStatus(n), nodeRoles(n), kubeAge(n.metadata.creationTimestamp, now), info?.kubeletVersion ?? '<unknown>'];
    if (o.wide) {
      r.push(n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<none>',
        info?.osImage ?? '<unknown>', info?.kernelVersion ?? '<unknown>', info?.containerRuntimeVersion ?? '<unknown>');
    }
    if (o.labels) r.push(labelText(n.metadata.labels));
    return r;
  });
  return { header, rows };
}
