/** `get pods`: NAME READY STATUS RESTARTS AGE [IP NODE], as kubectl prints them. */
import type { Pod } from '../pod.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';
import { kubeReady, kubeRestarts, kubeStatus } from './pod-status.js';

/** The pod table; -o wide adds IP and NODE. */
export const podTable: TableDefinition<Pod> = {
  columns: [
    nameColumn,
    column<Pod>('Ready', kubeReady),
    column<Pod>('Status', kubeStatus),
    column<Pod>('Restarts', kubeRestarts),
    ageColumn,
    column<Pod>('IP', (p) => p.status?.podIP || '<none>', 1),
    column<Pod>('Node', (p) => p.spec.nodeName || '<none>', 1),
  ],
};
