/** `get nodes`: NAME STATUS ROLES AGE VERSION [INTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME]. */
import type { Node } from '../node.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

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

/** The node table; -o wide adds the address and what the node runs. */
export const nodeTable: TableDefinition<Node> = {
  columns: [
    nameColumn,
    column<Node>('Status', nodeStatus),
    column<Node>('Roles', nodeRoles),
    ageColumn,
    column<Node>('Version', (n) => n.status?.nodeInfo?.kubeletVersion ?? '<unknown>'),
    column<Node>('Internal-IP', (n) => n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<none>', 1),
    column<Node>('OS-Image', (n) => n.status?.nodeInfo?.osImage ?? '<unknown>', 1),
    column<Node>('Kernel-Version', (n) => n.status?.nodeInfo?.kernelVersion ?? '<unknown>', 1),
    column<Node>('Container-Runtime', (n) => n.status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>', 1),
  ],
};
