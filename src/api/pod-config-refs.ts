/** Which ConfigMaps and Secrets a pod references (its volumes, env valueFrom and envFrom, imagePullSecrets). */
import type { Pod } from './pod.js';

/** The names of the ConfigMaps ('configmaps') or Secrets ('secrets') a pod references. */
export function podReferences(pod: Pod, resource: string): Set<string> {
  const out = new Set<string>();
  const cm = resource === 'configmaps';
  for (const v of pod.spec.volumes ?? []) {
    const name = cm ? v.configMap?.name : v.secret?.secretName;
    if (name !== undefined) out.add(name);
  }
  for (const c of pod.spec.containers) {
    for (const e of c.env ?? []) {
      const ref = cm ? e.valueFrom?.configMapKeyRef : e.valueFrom?.secretKeyRef;
      if (ref) out.add(ref.name);
    }
    for (const f of c.envFrom ?? []) {
      const ref = cm ? f.configMapRef : f.secretRef;
      if (ref) out.add(ref.name);
    }
  }
  // Registry credentials (kubernetes.io/dockerconfigjson): the node that pulls reads them, under the same rule.
  if (!cm) for (const s of pod.spec.imagePullSecrets ?? []) out.add(s.name);
  return out;
}
