/** `get priorityclasses` and `get podgroups`: the scheduling kinds' tables. */
import type { PriorityClass } from '../schema/priority-class.js';
import type { PodGroup } from '../schema/pod-group.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY; never LABELS. */
export const priorityClassTable: TableDefinition<PriorityClass> = {
  columns: [
    nameColumn,
    column<PriorityClass>('Value', (c) => String(c.value), 0, 'integer'),
    column<PriorityClass>('Global-Default', (c) => String(c.globalDefault ?? false), 0, 'boolean'),
    ageColumn,
    column<PriorityClass>('PreemptionPolicy', (c) => c.preemptionPolicy ?? 'PreemptLowerPriority'),
  ],
  labelsColumn: false,
};

/** NAME STATUS MINMEMBER SCHEDULED AGE [MESSAGE], from what the scheduler wrote; STATUS is Pending until minMember are placed together. */
export const podGroupTable: TableDefinition<PodGroup> = {
  columns: [
    nameColumn,
    column<PodGroup>('Status', (g) => g.status?.phase ?? 'Pending'),
    column<PodGroup>('MinMember', (g) => String(g.spec.minMember), 0, 'integer'),
    column<PodGroup>('Scheduled', (g) => String(g.status?.scheduled ?? 0), 0, 'integer'),
    ageColumn,
    column<PodGroup>('Message', (g) => g.status?.message ?? '<none>', 1),
  ],
  labelsColumn: false,
};
