/** The DaemonSet kind (apps/v1): schema, defaults, and Kubernetes' validation. */
import type { KindInfo } from './kind.js';
import type { FieldCause } from '../errors.js';
import { daemonSetModule } from './modules/apps.js';
import { DaemonSetSchema, type DaemonSet } from '../schema/daemonset.js';
import { checkIntOrPercent, percentOf } from '../intstr.js';
import { withRules } from './with-rules.js';
import { checkSelectorAndTemplate, defaultTemplate } from './pod-template.js';

const zero = (v: string | number | undefined): boolean => v === undefined || v === 0 || v === '0%';

function check(d: DaemonSet): FieldCause[] {
  const out = checkSelectorAndTemplate(d.spec.selector, d.spec.template, d.metadata.namespace);
  const us = d.spec.updateStrategy;
  if (us?.type === 'OnDelete' && us.rollingUpdate !== undefined) out.push({ field: 'spec.updateStrategy.rollingUpdate', message: "only allowed for updateStrategy 'RollingUpdate'" });
  const ru = us?.rollingUpdate;
  if (ru === undefined) return out;
  for (const f of ['maxSurge', 'maxUnavailable'] as const) {
    const v = ru[f];
    if (v === undefined) continue;
    const bad = checkIntOrPercent(v);
    if (bad) out.push({ field: `spec.updateStrategy.rollingUpdate.${f}`, message: bad });
    else if ((percentOf(v) ?? 0) > 100) out.push({ field: `spec.updateStrategy.rollingUpdate.${f}`, message: 'must not be greater than 100%' });
  }
  if (zero(ru.maxSurge) && zero(ru.maxUnavailable)) out.push({ field: 'spec.updateStrategy.rollingUpdate.maxUnavailable', message: 'may not be 0 when `maxSurge` is 0: the rollout could never replace a pod' });
  return out;
}

/** The DaemonSet kind (apps/v1). */
export const daemonSetKind: KindInfo<DaemonSet> = withRules(daemonSetModule, {
  schema: DaemonSetSchema,
  check,
  applyDefaults(d) {
    const spec = d.spec;
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    defaultTemplate(spec.template);
  },
  validateUpdate: (a, b) => JSON.stringify(a.spec.selector) === JSON.stringify(b.spec.selector) ? []
    : [{ field: 'spec.selector', message: 'field is immutable: delete and re-create the DaemonSet to select other pods' }],
});
