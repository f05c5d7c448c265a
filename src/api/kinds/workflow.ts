/** The Workflow kind (lantern.dev/v1): a DAG of Job steps; names, dependencies and cycles are checked here. */
import type { KindInfo } from './kind.js';
import { workflowModule } from './modules/lantern.js';
import type { FieldCause } from '../errors.js';
import type { Job } from '../schema/job.js';
import { WorkflowSchema, type Workflow, type WorkflowStep } from '../schema/workflow.js';
import { withRules } from './with-rules.js';
import { jobKind } from './job.js';

/** A cycle among the steps, as the names along it ("a -> b -> a"), or undefined. */
export function findCycle(steps: readonly Pick<WorkflowStep, 'name' | 'dependsOn'>[]): string[] | undefined {
  const deps = new Map(steps.map((s) => [s.name, s.dependsOn ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done' || !deps.has(n)) return undefined;
    if (state.get(n) === 'visiting') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'visiting');
    path.push(n);
    for (const d of deps.get(n) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    path.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const s of steps) {
    const c = visit(s.name);
    if (c) return c.reverse();
  }
  return undefined;
}

/** Names, dependencies and cycles of spec.steps, with field paths. */
export function checkSteps(steps: readonly WorkflowStep[]): FieldCause[] {
  const out: FieldCause[] = [];
  const seen = new Set<string>();
  steps.forEach((s, i) => {
    if (seen.has(s.name)) out.push({ field: `spec.steps[${i}].name`, message: `Duplicate value: ${JSON.stringify(s.name)}: step names must be unique` });
    seen.add(s.name);
  });
  steps.forEach((s, i) => (s.dependsOn ?? []).forEach((d, j) => {
    if (!seen.has(d)) out.push({ field: `spec.steps[${i}].dependsOn[${j}]`, message: `Not found: ${JSON.stringify(d)}: no step has that name (steps: ${[...seen].join(', ')})` });
    if (d === s.name) out.push({ field: `spec.steps[${i}].dependsOn[${j}]`, message: 'a step cannot depend on itself' });
  }));
  const cycle = findCycle(steps);
  if (cycle && cycle.length > 2) out.push({ field: 'spec.steps', message: `Invalid value: the steps form a cycle: ${cycle.join(' -> ')}; remove one of these dependsOn entries` });
  return out;
}

function checkTemplates(wf: Workflow): FieldCause[] {
  const out: FieldCause[] = [];
  wf.spec.steps.forEach((s, i) => {
    const t = s.template;
    const spec = { ...t, template: { ...t.template, spec: { ...t.template.spec, restartPolicy: t.template.spec.restartPolicy ?? 'Never' } } };
    const job: Job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${wf.metadata.name}-${s.name}`.slice(0, 63), namespace: wf.metadata.namespace }, spec };
    for (const c of jobKind.validate(job)) if (c.field !== 'metadata.name') out.push({ field: `spec.steps[${i}].template.${c.field.replace(/^spec\./, '')}`, message: c.message });
    const longest = `${wf.metadata.name}-${s.name}-${(s.retries ?? 0) + 1}${s.withParams ? `-${s.withParams.length - 1}` : ''}`;
    if (longest.length > 57) out.push({ field: `spec.steps[${i}].name`, message: `Too long: the step's Job names (${longest}) must fit in 57 characters with the workflow's name; use shorter names` });
    if (s.outputs && s.template.template.spec.containers[0]?.command === undefined) {
      out.push({ field: `spec.steps[${i}].outputs`, message: 'Required value: a step with outputs must set template.template.spec.containers[0].command (the controller wraps it to print the file)' });
    }
  });
  return out;
}

/** The Workflow kind (lantern.dev/v1, namespaced). */
export const workflowKind: KindInfo<Workflow> = withRules(workflowModule, {
  schema: WorkflowSchema,
  check: (wf) => [...checkSteps(wf.spec.steps), ...checkTemplates(wf)],
  applyDefaults(wf) {
    // A step's pods run to completion; Never lets the Job (and retries) see each failure.
    for (const s of wf.spec.steps) s.template.template.spec.restartPolicy ??= 'Never';
    wf.status ??= { phase: 'Pending' };
  },
  validateUpdate(a, b) {
    return JSON.stringify(a.spec) === JSON.stringify(b.spec) ? [] : [{ field: 'spec', message: 'field is immutable: delete and re-create the Workflow to run other steps' }];
  },
});
