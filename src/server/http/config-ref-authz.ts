/** Whether a node may read a ConfigMap or Secret: only when a pod bound to it references it. */
import type { Pod } from '../../api/pod.js';
import type { ApiClient } from '../../client/types.js';

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
  return out;
}

/** True when some pod bound to node in namespace references resource/name (as the Node authorizer's graph). */
export async function referencedByNode(api: ApiClient, node: string, resource: string, name: string, namespace: string | undefined): Promise<boolean> {
  if (resource !== 'configmaps' && resource !== 'secrets') return false;
  const pods = await api.list<Pod>('pods', namespace ?? 'default', { fieldSelector: `spec.nodeName=${node}` });
  return pods.items.some((p) => podReferences(p, resource).has(name));
}
