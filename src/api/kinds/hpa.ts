/** The autoscaling/v2 HorizontalPodAutoscaler kind: schema, Kubernetes' defaults and rules. */
import type { KindInfo } from './kind.js';
import { hpaModule } from './modules/autoscaling.js';
import type { FieldCause } from '../errors.js';
import { HorizontalPodAutoscalerSchema, type HorizontalPodAutoscaler, type HPAScalingRules } from '../schema/hpa.js';
import { withRules } from './with-rules.js';
import { kindModules } from './index.js';

/** Kinds whose replicas the controller can set (those with a scale subresource): Kind -> resource. */
export const scalableKinds: Record<string, string> = Object.fromEntries(kindModules.filter((k) => k.subresources.scale).map((k) => [k.kind, k.resource]));
const supported = Object.keys(scalableKinds).sort().map((k) => `"${k}"`).join(', ');

/** Kubernetes' default scale-up rules: at most +4 pods or +100% per 15 s, whichever is more; no window. */
export const defaultScaleUp = (): Required<HPAScalingRules> => ({
  stabilizationWindowSeconds: 0, selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
});

/** Kubernetes' default scale-down rules: the highest recommendation of the last 300 s, any amount per 15 s. */
export const defaultScaleDown = (): Required<HPAScalingRules> => ({
  stabilizationWindowSeconds: 300, selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

/** Fill unset fields of one direction's rules from its defaults. */
export function rulesWithDefaults(r: HPAScalingRules | undefined, defaults: Required<HPAScalingRules>): Required<HPAScalingRules> {
  return {
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: r?.selectPolicy ?? defaults.selectPolicy,
    policies: r?.policies ?? defaults.policies,
  };
}

function checkRules(r: HPAScalingRules | undefined, path: string): FieldCause[] {
  if (!r) return [];
  if (r.policies !== undefined && r.policies.length === 0 && r.selectPolicy !== 'Disabled') {
    return [{ field: `${path}.policies`, message: 'must specify at least one Policy (or set selectPolicy: Disabled)' }];
  }
  return [];
}

function checkSpec(h: HorizontalPodAutoscaler): FieldCause[] {
  const out: FieldCause[] = [];
  const s = h.spec;
  if (!scalableKinds[s.scaleTargetRef.kind]) out.push({ field: 'spec.scaleTargetRef.kind', message: `Unsupported value: "${s.scaleTargetRef.kind}": supported values: ${supported}` });
  if (s.scaleTargetRef.name === '') out.push({ field: 'spec.scaleTargetRef.name', message: 'Required value: the name of the Deployment or ReplicaSet to scale' });
  if (s.minReplicas !== undefined && s.minReplicas < 1) out.push({ field: 'spec.minReplicas', message: 'must be greater than or equal to 1' });
  if (s.maxReplicas < (s.minReplicas ?? 1)) out.push({ field: 'spec.maxReplicas', message: 'must be greater than or equal to `minReplicas`' });
  (s.metrics ?? []).forEach((m, i) => {
    const p = `spec.metrics[${i}].resource`;
    if (m.resource.name !== 'cpu') out.push({ field: `${p}.name`, message: `Unsupported value: "${m.resource.name}": Lantern scales on "cpu" only` });
    if (m.resource.target.type !== 'Utilization') out.push({ field: `${p}.target.type`, message: `Unsupported value: "${m.resource.target.type}": Lantern supports "Utilization" (averageUtilization: percent of the pods' cpu requests)` });
    else if (m.resource.target.averageUtilization === undefined) out.push({ field: `${p}.target.averageUtilization`, message: 'Required value: must be set when the target type is Utilization' });
  });
  out.push(...checkRules(s.behavior?.scaleUp, 'spec.behavior.scaleUp'), ...checkRules(s.behavior?.scaleDown, 'spec.behavior.scaleDown'));
  return out;
}

/** The HorizontalPodAutoscaler kind (autoscaling/v2). */
export const hpaKind: KindInfo<HorizontalPodAutoscaler> = withRules(hpaModule, {
  schema: HorizontalPodAutoscalerSchema,
  check: checkSpec,
  applyDefaults(h) {
    h.spec.minReplicas ??= 1;
    if (!h.spec.metrics || h.spec.metrics.length === 0) {
      h.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    }
    // As Kubernetes: a behavior that is given gets every unset field filled; an absent one stays absent.
    const b = h.spec.behavior;
    if (b) {
      b.scaleUp = rulesWithDefaults(b.scaleUp, defaultScaleUp());
      b.scaleDown = rulesWithDefaults(b.scaleDown, defaultScaleDown());
    }
  },
});
