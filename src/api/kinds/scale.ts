/** The scale subresource of any kind that declares one (module.subresources.scale), as kube-apiserver serves a CRD's. */
import type { ApiObject } from '../meta.js';
import type { Scale } from '../schema/apps.js';
import type { LabelSelector } from '../schema/pod.js';
import { selectorText } from '../label-selector.js';
import type { ScaleSubresource } from './module.js';

/** The value at a path such as ".spec.replicas" (undefined where any step is missing). */
function at(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const step of path.split('.').filter((s) => s !== '')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[step] : undefined;
  return v;
}

/** The autoscaling/v1 Scale view of an object (desired replicas default to 1, as the scalable kinds' defaults). */
export function scaleOf(scale: ScaleSubresource, o: ApiObject): Scale {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = o.metadata;
  const selector = at(o, scale.labelSelectorPath);
  const spec = at(o, scale.specReplicasPath);
  const status = at(o, scale.statusReplicasPath);
  return {
    apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: typeof spec === 'number' ? spec : 1 },
    status: { replicas: typeof status === 'number' ? status : 0, selector: typeof selector === 'string' ? selector : selectorText((selector ?? {}) as LabelSelector) },
  };
}

/** A copy of the object with its desired replicas set (what PUT .../scale writes back as an update). */
export function withReplicas<T extends ApiObject>(scale: ScaleSubresource, o: T, replicas: number): T {
  const copy = structuredClone(o) as unknown as Record<string, unknown>;
  const steps = scale.specReplicasPath.split('.').filter((s) => s !== '');
  let v = copy;
  for (const step of steps.slice(0, -1)) {
    const next = v[step];
    v = (typeof next === 'object' && next !== null ? next : (v[step] = {})) as Record<string, unknown>;
  }
  v[steps[steps.length - 1]!] = replicas;
  return copy as unknown as T;
}
