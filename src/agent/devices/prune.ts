/**
 * Free the devices of pods that went while the agent was down: the node's pods are listed, and every
 * assignment of a pod not among them (made before the list was read) is dropped. Re-adopted pods keep theirs.
 */
import type { Pod } from '../../api/pod.js';
import type { ApiClient } from '../../client/types.js';
import type { DeviceRegistry } from './registry.js';

/** List the node's pods and prune the registry's assignments to them (a failure is logged; the next agent start tries again). */
export async function pruneGonePods(api: ApiClient, nodeName: string, registry: Pick<DeviceRegistry, 'prune'>, log: (m: string) => void): Promise<void> {
  const listedAt = new Date();
  try {
    const pods = await api.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${nodeName}` });
    registry.prune(new Set(pods.items.map((p) => p.metadata.uid ?? '')), listedAt);
  } catch (e) {
    log(`devices: cannot list this node's pods to free the devices of gone ones: ${(e as Error).message}`);
  }
}
