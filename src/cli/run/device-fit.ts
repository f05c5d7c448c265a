/** Before lcctl run creates a pod with devices: `--gpus all` gets its count, and a pod no node could ever hold is known. */
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import { neverFits, resolveAllGpus } from './gpus.js';

/** Resolve `--gpus all` and answer whether no node has the capacity (true: fail once the scheduler says why). */
export async function deviceFit(client: HttpClient, pod: Pod): Promise<boolean> {
  const asks = pod.spec.containers.some((c) => Object.keys(c.resources?.limits ?? {}).some((r) => r.includes('/')));
  if (!asks) return false;
  // A user who may not list nodes still runs the pod; it then waits as before.
  const nodes = await client.list<Node>('nodes').then((l) => l.items, () => undefined);
  if (!nodes) return false;
  resolveAllGpus(pod, nodes);
  return neverFits(pod, nodes);
}
