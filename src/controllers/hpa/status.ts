/** Writing the decision into an autoscaler's status the way Kubernetes shows it. */
import type { HorizontalPodAutoscaler, HPACondition } from '../../api/schema/hpa.js';
import type { ConditionUpdate } from './decide.js';

type Status = NonNullable<HorizontalPodAutoscaler['status']>;

/** Set conditions, keeping lastTransitionTime of those whose status did not change; in Kubernetes' order. */
export function mergeConditions(old: HPACondition[] | undefined, updates: ConditionUpdate[], now: string): HPACondition[] {
  const byType = new Map((old ?? []).map((c) => [c.type, c]));
  for (const u of updates) {
    const prev = byType.get(u.type);
    byType.set(u.type, { ...u, lastTransitionTime: prev && prev.status === u.status && prev.lastTransitionTime ? prev.lastTransitionTime : now });
  }
  const order = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];
  return [...byType.values()].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}

/** The status after one sync. */
export function nextStatus(h: HorizontalPodAutoscaler, s: {
  current: number; desired: number; utilization?: number; averageMillis?: number; scaledAt?: string; conditions: ConditionUpdate[]; now: string;
}): Status {
  const old = h.status;
  const status: Status = {
    observedGeneration: h.metadata.generation,
    currentReplicas: s.current,
    desiredReplicas: s.desired,
    conditions: mergeConditions(old?.conditions, s.conditions, s.now),
  };
  const lastScaleTime = s.scaledAt ?? old?.lastScaleTime;
  if (lastScaleTime !== undefined) status.lastScaleTime = lastScaleTime;
  if (s.utilization !== undefined) {
    status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.utilization, averageValue: `${s.averageMillis ?? 0}m` } } }];
  } else if (old?.currentMetrics) {
    status.currentMetrics = old.currentMetrics;
  }
  return status;
}
