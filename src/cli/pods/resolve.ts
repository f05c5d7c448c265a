/** Turn what the user typed (pod name, uid hex prefix, or pod/container) into a pod and container. */
import type { Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import { CliError, isCode } from '../errors.js';
import { fullId } from './status.js';

/** A resolved container reference. */
export interface Target { pod: Pod; container?: string; ref: string }

/** Split "pod/container" (the container part is optional). */
export function splitRef(ref: string): { pod: string; container?: string } {
  const slash = ref.indexOf('/');
  return slash < 0 ? { pod: ref } : { pod: ref.slice(0, slash), container: ref.slice(slash + 1) };
}

/** Find the one pod whose uid (dashes removed) starts with prefix; error when none or several. */
export function matchPrefix(pods: Pod[], prefix: string, ref: string): Pod | undefined {
  const p = prefix.toLowerCase();
  const hits = pods.filter((pod) => fullId(pod).startsWith(p));
  if (hits.length > 1) throw new CliError(`multiple containers match the ID prefix "${prefix}" (${hits.map((h) => h.metadata.name).join(', ')}): give more characters or the name (${ref})`);
  return hits[0];
}

/** Look a container reference up in a namespace. */
export async function resolveTarget(client: HttpClient, ns: string, ref: string): Promise<Target> {
  const { pod: podRef, container } = splitRef(ref);
  let pod: Pod | undefined;
  try {
    pod = await client.get<Pod>('pods', podRef, ns);
  } catch (e) {
    if (!isCode(e, 'NotFound') && !isCode(e, 'BadRequest')) throw e;
  }
  if (!pod && /^[0-9a-fA-F]{3,32}$/.test(podRef)) {
    const list = await client.list<Pod>('pods', ns);
    pod = matchPrefix(list.items, podRef, ref);
  }
  if (!pod) throw new CliError(`No such container: ${ref}${ns !== 'default' ? ` (in namespace ${ns})` : ''}`);
  if (container !== undefined && container !== '' && !pod.spec.containers.some((c) => c.name === container)) {
    throw new CliError(`pod ${pod.metadata.name} has no container "${container}" (containers: ${pod.spec.containers.map((c) => c.name).join(', ')})`);
  }
  const target: Target = { pod, ref };
  if (container) target.container = container;
  return target;
}
