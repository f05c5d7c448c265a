/** The StatefulSet kind (apps/v1): schema, defaults, and Kubernetes' validation and update rules. */
import type { KindInfo } from './kind.js';
import type { FieldCause } from '../errors.js';
import { statefulSetModule } from './modules/apps.js';
import { StatefulSetSchema, type StatefulSet } from '../schema/statefulset.js';
import { checkIntOrPercent } from '../intstr.js';
import { checkLabel } from '../names.js';
import { withRules } from './with-rules.js';
import { checkSelectorAndTemplate, defaultTemplate } from './pod-template.js';

function check(s: StatefulSet): FieldCause[] {
  // As Kubernetes: the claim templates are volumes of every pod, so mounts may name them.
  const claims = (s.spec.volumeClaimTemplates ?? []).map((t) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: `${t.metadata.name}-${s.metadata.name}-0` } }));
  const template = claims.length === 0 ? s.spec.template
    : { ...s.spec.template, spec: { ...s.spec.template.spec, volumes: [...(s.spec.template.spec.volumes ?? []).filter((v) => !claims.some((c) => c.name === v.name)), ...claims] } };
  const out = checkSelectorAndTemplate(s.spec.selector, template, s.metadata.namespace);
  if (s.spec.serviceName) {
    const bad = checkLabel(s.spec.serviceName);
    if (bad) out.push({ field: 'spec.serviceName', message: `${bad}: name the headless Service that gives the pods their DNS names` });
  }
  const seen = new Set<string>();
  s.spec.volumeClaimTemplates?.forEach((t, i) => {
    const bad = checkLabel(t.metadata.name);
    if (bad) out.push({ field: `spec.volumeClaimTemplates[${i}].metadata.name`, message: bad });
    if (seen.has(t.metadata.name)) out.push({ field: `spec.volumeClaimTemplates[${i}].metadata.name`, message: `Duplicate value: ${JSON.stringify(t.metadata.name)}` });
    seen.add(t.metadata.name);
  });
  const us = s.spec.updateStrategy;
  if (us?.type === 'OnDelete' && us.rollingUpdate !== undefined) out.push({ field: 'spec.updateStrategy.rollingUpdate', message: "only allowed for updateStrategy 'RollingUpdate'" });
  const mu = us?.rollingUpdate?.maxUnavailable;
  if (mu !== undefined) {
    const bad = checkIntOrPercent(mu);
    if (bad) out.push({ field: 'spec.updateStrategy.rollingUpdate.maxUnavailable', message: bad });
    else if (mu === 0 || mu === '0%') out.push({ field: 'spec.updateStrategy.rollingUpdate.maxUnavailable', message: 'must be greater than 0' });
  }
  return out;
}

// Kubernetes: "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template',
// 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden".
const mutable = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'revisionHistoryLimit']);

function validateUpdate(a: StatefulSet, b: StatefulSet): FieldCause[] {
  const out: FieldCause[] = [];
  const keys = new Set([...Object.keys(a.spec), ...Object.keys(b.spec)]);
  for (const k of keys) {
    if (mutable.has(k)) continue;
    const va = (a.spec as Record<string, unknown>)[k];
    const vb = (b.spec as Record<string, unknown>)[k];
    if (JSON.stringify(va) !== JSON.stringify(vb)) {
      out.push({ field: `spec.${k}`, message: "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden" });
    }
  }
  return out;
}

/** The StatefulSet kind (apps/v1). */
export const statefulSetKind: KindInfo<StatefulSet> = withRules(statefulSetModule, {
  schema: StatefulSetSchema,
  check,
  applyDefaults(s) {
    const spec = s.spec;
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.partition ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    spec.persistentVolumeClaimRetentionPolicy ??= {};
    spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
    spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
    for (const t of spec.volumeClaimTemplates ?? []) {
      t.apiVersion ??= 'v1';
      t.kind ??= 'PersistentVolumeClaim';
    }
    defaultTemplate(spec.template);
  },
  validateUpdate,
});
