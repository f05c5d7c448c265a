/** The batch/v1 Job kind: schema, Kubernetes' defaults and rules, immutable fields. */
import type { KindInfo } from './kind.js';
import { jobModule } from './modules/batch.js';
import type { FieldCause } from '../errors.js';
import type { Pod } from '../pod.js';
import { JobSchema, type Job } from '../schema/job.js';
import { JobLabels } from '../job-labels.js';
import { withRules } from './with-rules.js';
import { defaultTemplate } from './pod-template.js';
import { labelSelectorMatches, selectorText } from '../label-selector.js';
import { parseLabelSelector } from '../selectors.js';
import { podKind } from './pod.js';
import { QUEUE_NAME_LABEL } from '../queue-labels.js';

function checkTemplate(job: Job): FieldCause[] {
  const out: FieldCause[] = [];
  const t = job.spec.template;
  const restart = t.spec.restartPolicy;
  if (restart !== 'Never' && restart !== 'OnFailure') {
    out.push({ field: 'spec.template.spec.restartPolicy', message: restart === undefined ? 'Required value: valid values: "OnFailure", "Never"' : `Unsupported value: ${JSON.stringify(restart)}: supported values: "OnFailure", "Never"` });
  }
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { ...t.metadata, name: 'template', namespace: job.metadata.namespace }, spec: t.spec };
  for (const c of podKind.validate(pod)) if (c.field !== 'metadata.name') out.push({ field: `spec.template.${c.field}`, message: c.message });
  return out;
}

function checkSelector(job: Job): FieldCause[] {
  const sel = job.spec.selector;
  if (!job.spec.manualSelector) return [];
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
    return [{ field: 'spec.selector', message: 'Required value: manualSelector is true, so name the labels of the template, e.g. matchLabels: {app: batch}' }];
  }
  try { parseLabelSelector(selectorText(sel)); } catch (e) { return [{ field: 'spec.selector', message: e instanceof Error ? e.message : String(e) }]; }
  if (!labelSelectorMatches(sel, job.spec.template.metadata?.labels)) return [{ field: 'spec.template.metadata.labels', message: '`selector` does not match template `labels`' }];
  return [];
}

function checkIndexed(job: Job): FieldCause[] {
  const s = job.spec;
  const out: FieldCause[] = [];
  const indexed = s.completionMode === 'Indexed';
  if (indexed && s.completions === undefined) out.push({ field: 'spec.completions', message: 'Required value: when completion mode is Indexed' });
  if (indexed && (s.completions ?? 0) > 100_000) out.push({ field: 'spec.completions', message: 'must be less than or equal to 100000 when completion mode is Indexed' });
  if (!indexed && s.backoffLimitPerIndex !== undefined) out.push({ field: 'spec.backoffLimitPerIndex', message: 'requires indexed completion mode' });
  if (s.maxFailedIndexes !== undefined && s.backoffLimitPerIndex === undefined) out.push({ field: 'spec.maxFailedIndexes', message: 'cannot set maxFailedIndexes when backoffLimitPerIndex is not set' });
  if (s.maxFailedIndexes !== undefined && s.completions !== undefined && s.maxFailedIndexes > s.completions) out.push({ field: 'spec.maxFailedIndexes', message: 'must be less than or equal to completions' });
  const rules = s.podFailurePolicy?.rules ?? [];
  if (rules.length > 0 && s.template.spec.restartPolicy !== 'Never') out.push({ field: 'spec.template.spec.restartPolicy', message: 'only "Never" is supported when podFailurePolicy is specified' });
  rules.forEach((r, i) => {
    const f = `spec.podFailurePolicy.rules[${i}]`;
    if ((r.onExitCodes === undefined) === (r.onPodConditions === undefined)) out.push({ field: f, message: 'specify exactly one of onExitCodes and onPodConditions' });
    if (r.action === 'FailIndex' && s.backoffLimitPerIndex === undefined) out.push({ field: `${f}.action`, message: 'FailIndex requires backoffLimitPerIndex to be set' });
    const ec = r.onExitCodes;
    if (ec?.operator === 'In' && ec.values.includes(0)) out.push({ field: `${f}.onExitCodes.values`, message: 'must not be 0 for the In operator' });
    if (ec?.containerName !== undefined && !s.template.spec.containers.some((c) => c.name === ec.containerName)) out.push({ field: `${f}.onExitCodes.containerName`, message: `must be one of the container names in the pod template (${s.template.spec.containers.map((c) => c.name).join(', ')})` });
  });
  return out;
}

/** Immutable after creation, as in Kubernetes (a suspended job's template may change; Lantern keeps it fixed). */
function checkUpdate(a: Job, b: Job): FieldCause[] {
  const out: FieldCause[] = [];
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
  if (!same(a.spec.selector, b.spec.selector)) out.push({ field: 'spec.selector', message: 'field is immutable' });
  if (!same(a.spec.template, b.spec.template)) out.push({ field: 'spec.template', message: 'field is immutable: delete and re-create the Job to run other pods' });
  if (a.spec.completionMode !== b.spec.completionMode) out.push({ field: 'spec.completionMode', message: 'field is immutable' });
  if (a.spec.completions !== b.spec.completions) out.push({ field: 'spec.completions', message: 'field is immutable' });
  if (!same(a.spec.podFailurePolicy, b.spec.podFailurePolicy)) out.push({ field: 'spec.podFailurePolicy', message: 'field is immutable' });
  if (a.spec.minAvailable !== b.spec.minAvailable) out.push({ field: 'spec.minAvailable', message: 'field is immutable' });
  return out;
}

/** The Job kind (batch/v1). */
export const jobKind: KindInfo<Job> = withRules(jobModule, {
  schema: JobSchema,
  check: (job) => [...checkTemplate(job), ...checkSelector(job), ...checkIndexed(job)],
  applyDefaults(job) {
    const s = job.spec;
    // Kubernetes: neither set means one pod; completions unset alone makes a work queue.
    if (s.completions === undefined && s.parallelism === undefined) s.completions = 1;
    s.parallelism ??= 1;
    s.completionMode ??= 'NonIndexed';
    s.backoffLimit ??= s.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
    // Lantern: a Job that names a Queue waits suspended until the queue controller admits it.
    s.suspend ??= job.metadata.labels?.[QUEUE_NAME_LABEL] !== undefined;
    s.manualSelector ??= false;
    if (!s.manualSelector) {
      s.selector ??= { matchLabels: { [JobLabels.jobName]: job.metadata.name } };
      const meta = s.template.metadata ?? {};
      meta.labels = { ...meta.labels, [JobLabels.jobName]: job.metadata.name, [JobLabels.legacyJobName]: job.metadata.name };
      s.template.metadata = meta;
    }
    defaultTemplate(s.template);
  },
  validateUpdate: checkUpdate,
});
