/**
 * What a node may read because of the pods bound to it: a ConfigMap or Secret only while one of them
 * references it (get, or list/watch of that one object by fieldSelector metadata.name=NAME, as the
 * kubelet's watch of it), and the pods of a namespace while one of them is a gang member there.
 */
import type { Pod } from '../../api/pod.js';
import { GangAnnotations } from '../../api/annotations.js';
import { podReferences } from '../../api/pod-config-refs.js';
import type { ApiClient } from '../../client/types.js';
import { csiSecretOfNode } from './csi-secret-authz.js';

export { podReferences };

const podsOf = async (api: ApiClient, node: string, namespace: string | undefined): Promise<Pod[]> =>
  (await api.list<Pod>('pods', namespace ?? 'default', { fieldSelector: `spec.nodeName=${node}` })).items;

/** True when some pod bound to node in namespace references resource/name (as the Node authorizer's graph). */
export async function referencedByNode(api: ApiClient, node: string, resource: string, name: string, namespace: string | undefined): Promise<boolean> {
  if (resource !== 'configmaps' && resource !== 'secrets') return false;
  if ((await podsOf(api, node, namespace)).some((p) => podReferences(p, resource).has(name))) return true;
  // The secrets its CSI drivers' classes and volumes name (csi-secret-authz.ts).
  return resource === 'secrets' && csiSecretOfNode(api, node, name, namespace);
}

/** The one object a field selector names (a term metadata.name=NAME), if it names one. */
export function namedBySelector(fieldSelector: string | undefined): string | undefined {
  for (const term of (fieldSelector ?? '').split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*(\S+)\s*$/.exec(term);
    if (m) return m[1];
  }
  return undefined;
}

/** True when a pod bound to node in namespace is a gang member (its agent follows its peers there). */
export async function gangMemberOnNode(api: ApiClient, node: string, namespace: string): Promise<boolean> {
  return (await podsOf(api, node, namespace)).some((p) => Boolean(p.metadata.annotations?.[GangAnnotations.group]));
}
