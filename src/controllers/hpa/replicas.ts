/**
 * Kubernetes' replica calculation for a resource utilization target (replica_calculator.go), as pure
 * functions: what the pods use against what they request, with the same conservative treatment of
 * pods that are not ready or have no metrics.
 */

/** One pod as the calculation sees it. */
export interface PodSample {
  name: string;
  /** Sum of its containers' cpu requests, millicores. */
  requestMillis: number;
  /** Measured usage, millicores; undefined when the metrics source has none for it. */
  usageMillis?: number;
  /** Running and Ready. */
  ready: boolean;
}

/** The result: a recommendation and what was measured. */
export interface CpuRecommendation {
  replicas: number;
  /** Utilization of the ready pods with metrics, percent of their requests (what status shows). */
  utilization: number;
  /** Average usage of those pods, millicores. */
  averageMillis: number;
}

/** Kubernetes' default tolerance: no change while usage is within 10% of the target. */
export const defaultTolerance = 0.1;

function ratioOf(pods: { usage: number; request: number }[], target: number): { utilization: number; ratio: number } {
  const usage = pods.reduce((s, p) => s + p.usage, 0);
  const request = pods.reduce((s, p) => s + p.request, 0);
  // Kubernetes truncates the utilization to an integer percent before the ratio.
  const utilization = Math.trunc((usage * 100) / request);
  return { utilization, ratio: utilization / target };
}

/**
 * Desired replicas for a cpu averageUtilization target. `current` is the target's replica count;
 * throws (with Kubernetes' message) when no pod has metrics to decide on.
 */
export function cpuReplicas(pods: PodSample[], current: number, targetUtilization: number, tolerance = defaultTolerance): CpuRecommendation {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const measured = pods.filter((p) => p.ready && p.usageMillis !== undefined).map((p) => ({ usage: p.usageMillis ?? 0, request: p.requestMillis }));
  const unready = pods.filter((p) => !p.ready);
  const missing = pods.filter((p) => p.ready && p.usageMillis === undefined);
  if (measured.length === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { utilization, ratio } = ratioOf(measured, targetUtilization);
  const averageMillis = Math.round(measured.reduce((s, p) => s + p.usage, 0) / measured.length);
  const scaleUpWithUnready = unready.length > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.length === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return { replicas: current, utilization, averageMillis };
    return { replicas: Math.ceil(ratio * measured.length), utilization, averageMillis };
  }
  // Be conservative about what we cannot see: a pod without metrics uses its whole request when
  // scaling down and nothing when scaling up; an unready pod counts as using nothing on a scale-up.
  const filled = [...measured];
  if (missing.length > 0) {
    for (const p of missing) filled.push({ usage: ratio < 1 ? p.requestMillis : 0, request: p.requestMillis });
  }
  if (scaleUpWithUnready) for (const p of unready) filled.push({ usage: 0, request: p.requestMillis });
  const again = ratioOf(filled, targetUtilization).ratio;
  // No change when within tolerance, or when the filled-in pods would reverse the direction.
  if (Math.abs(1 - again) <= tolerance || (ratio < 1 && again > 1) || (ratio > 1 && again < 1)) {
    return { replicas: current, utilization, averageMillis };
  }
  const replicas = Math.ceil(again * filled.length);
  if ((again < 1 && replicas > current) || (again > 1 && replicas < current)) return { replicas: current, utilization, averageMillis };
  return { replicas, utilization, averageMillis };
}
