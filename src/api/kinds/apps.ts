/** The apps/v1 kinds: ReplicaSet and Deployment. */
import type { KindInfo } from './kind.js';
import { replicaSetModule, deploymentModule } from './modules/apps.js';
import type { FieldCause } from '../errors.js';
import { DeploymentSchema, ReplicaSetSchema, type Deployment, type ReplicaSet } from '../schema/apps.js';
import { checkIntOrPercent, percentOf } from '../intstr.js';
import { withRules } from './with-rules.js';
import { checkSelectorAndTemplate, defaultTemplate } from './pod-template.js';

const selectorImmutable = (a: { spec: { selector: unknown } }, b: { spec: { selector: unknown } }): FieldCause[] =>
  JSON.stringify(a.spec.selector) === JSON.stringify(b.spec.selector) ? []
    : [{ field: 'spec.selector', message: 'field is immutable: delete and re-create the object to select other pods' }];

/** The ReplicaSet kind (apps/v1). */
export const replicaSetKind: KindInfo<ReplicaSet> = withRules(replicaSetModule, {
  schema: ReplicaSetSchema,
  check: (rs) => checkSelectorAndTemplate(rs.spec.selector, rs.spec.template, rs.metadata.namespace),
  applyDefaults(rs) {
    rs.spec.replicas ??= 1;
    defaultTemplate(rs.spec.template);
  },
  validateUpdate: selectorImmutable,
});

function checkStrategy(d: Deployment): FieldCause[] {
  const out: FieldCause[] = [];
  const s = d.spec.strategy;
  const ru = s?.rollingUpdate;
  if (s?.type === 'Recreate' && ru !== undefined) out.push({ field: 'spec.strategy.rollingUpdate', message: "may not be specified when strategy `type` is 'Recreate'" });
  if (ru === undefined) return out;
  for (const f of ['maxSurge', 'maxUnavailable'] as const) {
    const v = ru[f];
    if (v === undefined) continue;
    const bad = checkIntOrPercent(v);
    if (bad) out.push({ field: `spec.strategy.rollingUpdate.${f}`, message: bad });
  }
  const unavailablePct = ru.maxUnavailable === undefined ? undefined : percentOf(ru.maxUnavailable);
  if (unavailablePct !== undefined && unavailablePct > 100) out.push({ field: 'spec.strategy.rollingUpdate.maxUnavailable', message: 'must not be greater than 100%' });
  const zero = (v: string | number | undefined): boolean => v === 0 || v === '0%';
  if (zero(ru.maxSurge) && zero(ru.maxUnavailable)) out.push({ field: 'spec.strategy.rollingUpdate.maxUnavailable', message: 'may not be 0 when `maxSurge` is 0: the rollout could never replace a pod' });
  return out;
}

/** The Deployment kind (apps/v1). */
export const deploymentKind: KindInfo<Deployment> = withRules(deploymentModule, {
  schema: DeploymentSchema,
  check(d) {
    const out = [...checkSelectorAndTemplate(d.spec.selector, d.spec.template, d.metadata.namespace), ...checkStrategy(d)];
    const deadline = d.spec.progressDeadlineSeconds;
    if (deadline !== undefined && deadline <= (d.spec.minReadySeconds ?? 0)) out.push({ field: 'spec.progressDeadlineSeconds', message: 'must be greater than minReadySeconds' });
    return out;
  },
  applyDefaults(d) {
    const spec = d.spec;
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultTemplate(spec.template);
  },
  validateUpdate: selectorImmutable,
});
