/** From pods and a usage map to the samples the replica calculation reads. */
import type { Pod } from '../../api/pod.js';
import { parseCpuMillis } from '../../api/quantity.js';
import type { PodSample } from './replicas.js';

/** Pods the calculation leaves out entirely, as Kubernetes does: being deleted, or finished/failed. */
const ignored = (p: Pod): boolean => p.metadata.deletionTimestamp !== undefined || p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';

const isReady = (p: Pod): boolean => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Samples of the pods that count; throws naming the container when a cpu request is missing. */
export function podSamples(pods: Pod[], usage: ReadonlyMap<string, number>): PodSample[] {
  const out: PodSample[] = [];
  for (const p of pods) {
    if (ignored(p)) continue;
    let request = 0;
    for (const c of p.spec.containers) {
      const r = c.resources?.requests?.cpu;
      const m = r === undefined ? undefined : parseCpuMillis(r);
      if (m === undefined) throw new Error(`missing request for cpu in container ${c.name} of Pod ${p.metadata.name}: set resources.requests.cpu in the pod template`);
      request += m;
    }
    out.push({ name: p.metadata.name, requestMillis: request, usageMillis: usage.get(p.metadata.name), ready: isReady(p) });
  }
  return out;
}
