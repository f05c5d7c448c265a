/** `get workflows`: NAME STATUS STEPS DURATION AGE. */
import type { Workflow } from '../schema/workflow.js';
import { kubeAge } from './age.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** From start to finish (or now); empty before it started. */
export function took(start: string | undefined, end: string | undefined, now: number): string {
  if (!start) return '';
  return kubeAge(start, end ? Date.parse(end) : now);
}

/** The workflow table: STEPS counts the succeeded ones. */
export const workflowTable: TableDefinition<Workflow> = {
  columns: [
    nameColumn,
    column<Workflow>('Status', (wf) => wf.status?.phase ?? 'Pending'),
    column<Workflow>('Steps', (wf) => `${(wf.status?.steps ?? []).filter((s) => s.phase === 'Succeeded').length}/${wf.spec.steps.length}`),
    column<Workflow>('Duration', (wf, now) => took(wf.status?.startedAt, wf.status?.finishedAt, now)),
    ageColumn,
  ],
};
