/**
 * One autoscaler's decision (horizontal.go reconcileAutoscaler) as a pure function: from the
 * target's replica count and its pods' samples to the new count, the reason, and the conditions.
 */
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';
import { defaultScaleDown, defaultScaleUp, rulesWithDefaults } from '../../api/kinds/hpa.js';
import { cpuReplicas, type CpuRecommendation, type PodSample } from './replicas.js';
import { limitRate, stabilize, type Behavior, type ScaleHistory } from './behavior.js';

/** The metric name Kubernetes uses in reasons and messages. */
export const cpuMetricName = 'cpu resource utilization (percentage of request)';

/** A condition to set: type, status, reason, message. */
export interface ConditionUpdate { type: 'AbleToScale' | 'ScalingActive' | 'ScalingLimited'; status: 'True' | 'False'; reason: string; message: string }

/** What one sync decided. */
export interface Decision {
  desired: number;
  /** Why the count changes ("cpu resource utilization (percentage of request) above target"); empty when it does not. */
  reason: string;
  conditions: ConditionUpdate[];
  measured?: CpuRecommendation;
  /** Set when the metrics could not be used; the count then stays. */
  error?: string;
}

/** The autoscaler's behavior with Kubernetes' defaults for what it leaves out. */
export function behaviorOf(h: HorizontalPodAutoscaler): Behavior {
  return { scaleUp: rulesWithDefaults(h.spec.behavior?.scaleUp, defaultScaleUp()), scaleDown: rulesWithDefaults(h.spec.behavior?.scaleDown, defaultScaleDown()) };
}

/** The cpu averageUtilization target (80% when no metric names one, as Kubernetes' default). */
export function cpuTarget(h: HorizontalPodAutoscaler): number {
  return h.spec.metrics?.find((m) => m.resource.name === 'cpu')?.resource.target.averageUtilization ?? 80;
}

/**
 * Decide the target's replicas from its pods' samples (or why they could not be read); `history` is
 * updated in place (recommendations, not scale events).
 */
export function decide(h: HorizontalPodAutoscaler, current: number, pods: PodSample[] | Error, history: ScaleHistory, now: number): Decision {
  const min = h.spec.minReplicas ?? 1;
  const max = h.spec.maxReplicas;
  if (current === 0 && min !== 0) {
    return { desired: 0, reason: '', conditions: [{ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' }] };
  }
  if (current > max) return { desired: max, reason: 'Current number of replicas above Spec.MaxReplicas', conditions: [] };
  if (current < min) return { desired: min, reason: 'Current number of replicas below Spec.MinReplicas', conditions: [] };
  let measured: CpuRecommendation;
  try {
    if (pods instanceof Error) throw pods;
    measured = cpuReplicas(pods, current, cpuTarget(h));
  } catch (e) {
    const error = `failed to get cpu utilization: ${e instanceof Error ? e.message : String(e)}`;
    return { desired: current, reason: '', error, conditions: [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${error}` }] };
  }
  const conditions: ConditionUpdate[] = [{ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${cpuMetricName}` }];
  const b = behaviorOf(h);
  const stable = stabilize(history, b, current, measured.replicas, now);
  conditions.push(stable.replicas !== measured.replicas
    ? { type: 'AbleToScale', status: 'True', reason: stable.reason, message: stable.message }
    : { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
  const limited = limitRate(history, b, min, max, current, stable.replicas, now);
  conditions.push({ type: 'ScalingLimited', status: limited.replicas === stable.replicas ? 'False' : 'True', reason: limited.reason, message: limited.message });
  let reason = '';
  if (measured.replicas > current) reason = `${cpuMetricName} above target`;
  if (measured.replicas < current) reason = 'All metrics below target';
  return { desired: limited.replicas, reason, conditions, measured };
}
