/** What every Docker API handler works with: the API as an in-process client, this node's services, its name. */
import type { ApiClient } from '../../client/types.js';
import type { NodeServices } from '../../api/node-services.js';
import type { Pod } from '../../api/pod.js';
import { ApiError } from '../../api/errors.js';
import { DockerError } from './http-util.js';
import type { ExecRecord } from './exec-store.js';

/** The Docker API's dependencies (the daemon hands them in). */
export interface DockerApiContext {
  api: ApiClient;
  /** The node's own services (logs, exec, images), as the agent serves them. */
  node: NodeServices;
  nodeName: string;
  /** Lantern's version, shown as the engine version. */
  version: string;
  /** DATA_DIR of the node (docker info's DockerRootDir). */
  dataDir: string;
  /** Exec instances by ID (docker exec create, then start, then inspect). */
  execs: Map<string, ExecRecord>;
}

/** The namespace `docker create` puts containers in (lcctl run's). */
export const DEFAULT_NAMESPACE = 'default';

/** Docker's container ID of a pod: its uid without dashes (lcctl's full ID). */
export function containerId(pod: Pod): string {
  return (pod.metadata.uid ?? '').replace(/-/g, '');
}

/** The Docker name a container was created with, when it is not a valid pod name ("proj_web_1", "Web"). */
export const DOCKER_NAME_ANNOTATION = 'docker.lantern.dev/name';

const POD_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/**
 * The pod name for a Docker name: itself when valid, else lower-cased with "_" and "." as "-" (so
 * docker-compose's "proj_web_1" is pod "proj-web-1"); undefined when Docker itself would refuse it.
 */
export function podNameFor(dockerName: string): string | undefined {
  if (POD_NAME.test(dockerName)) return dockerName;
  if (!DOCKER_NAME.test(dockerName)) return undefined;
  const mapped = dockerName.toLowerCase().replace(/[_.]/g, '-').replace(/-+/g, '-').slice(0, 63).replace(/-+$/, '');
  return POD_NAME.test(mapped) ? mapped : undefined;
}

/** Docker's name of a pod: the name it was created with, else its name ("NS_NAME" outside "default"). */
export function containerName(pod: Pod): string {
  const given = pod.metadata.annotations?.[DOCKER_NAME_ANNOTATION];
  if (given) return given;
  const ns = pod.metadata.namespace ?? DEFAULT_NAMESPACE;
  return ns === DEFAULT_NAMESPACE ? pod.metadata.name : `${ns}_${pod.metadata.name}`;
}

/** Every pod on this node (all namespaces): the node's containers as its agent sees them. */
export async function nodePods(ctx: DockerApiContext): Promise<Pod[]> {
  const list = await ctx.api.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${ctx.nodeName}` });
  return list.items;
}

/** Find a container by name ("/x" too), NS_NAME, full ID or unique ID prefix; 404 "No such container". */
export async function findContainer(ctx: DockerApiContext, ref: string): Promise<Pod> {
  const want = ref.replace(/^\//, '');
  const podName = podNameFor(want);
  if (podName !== undefined) {
    try {
      const pod = await ctx.api.get<Pod>('pods', podName, DEFAULT_NAMESPACE);
      if (pod.spec.nodeName === ctx.nodeName && containerName(pod) === want) return pod;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NotFound')) throw e;
    }
  }
  const pods = await nodePods(ctx);
  const byName = pods.find((p) => containerName(p) === want);
  if (byName) return byName;
  if (/^[0-9a-f]{1,64}$/i.test(want)) {
    const hits = pods.filter((p) => containerId(p).startsWith(want.toLowerCase().slice(0, 32)));
    if (hits.length > 1) throw new DockerError(400, `multiple containers match the ID prefix "${want}": give more characters or the name`);
    if (hits[0]) return hits[0];
  }
  throw new DockerError(404, `No such container: ${ref}`);
}
