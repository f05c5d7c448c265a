/** The autoscaler's CPU source in the server: the same computation `GET /apis/metrics.k8s.io/...` serves. */
import { parseQuantity } from '../api/quantity.js';
import type { MetricsApi } from '../server/http/metrics-api.js';
import type { PodCpuSource } from '../controllers/hpa/index.js';

interface PodMetricsList { items: { metadata: { name: string }; containers: { usage: { cpu: string } }[] }[] }

/** Millicores per pod of a namespace, summed over its containers, from a MetricsApi. */
export function podCpuFromMetricsApi(metrics: MetricsApi): PodCpuSource {
  return async (namespace) => {
    const list = await metrics.pods(namespace) as PodMetricsList;
    const out = new Map<string, number>();
    for (const p of list.items) {
      out.set(p.metadata.name, p.containers.reduce((sum, c) => sum + (parseQuantity(c.usage.cpu) ?? 0) * 1000, 0));
    }
    return out;
  };
}
