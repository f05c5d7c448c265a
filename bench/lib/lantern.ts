import { TestServer, busyboxArchive, lcctlBin } from '../../test/harness/lanternd.js';
import { importBusybox } from '../../test/harness/pods.js';
import { HttpClient } from '../../src/client/http-client.js';
import type { Pod } from '../../src/api/pod.js';
import { ApiError } from '../../src/api/errors.js';
import { onCleanup } from './cleanup.js';
import { until } from './proc.js';

export { lcctlBin };

/** A running lanternd for a benchmark: its own data dir, port, bridge and subnet. */
export interface Lantern { server: TestServer; client: HttpClient; pid: number; env: NodeJS.ProcessEnv }

/** Start `lanternd server` (agent included) with the busybox image imported; stop() is registered for cleanup. */
export async function startLantern(opts: { importImage?: boolean; args?: string[] } = {}): Promise<Lantern> {
  const server = new TestServer(opts.args ?? []);
  onCleanup('stop lanternd and sweep its containers, mounts and netns', () => server.stop());
  await server.start();
  if (opts.importImage !== false) await importBusybox(server, busyboxArchive());
  const pid = server.proc?.pid;
  if (pid === undefined) throw new Error('lanternd has no pid');
  return {
    server,
    client: newClient(server),
    pid,
    env: { ...process.env, LANTERN_CONFIG: server.configFile, NO_COLOR: '1' },
  };
}

/** A fresh HTTP client (its own keep-alive connection pool). */
export function newClient(server: TestServer): HttpClient {
  return new HttpClient({ server: server.url, token: server.token });
}

/** A one-container busybox pod. */
export function busyboxPod(name: string, command: string[], extra: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command }], ...extra },
  } as Pod;
}

/** The pods in the default namespace. */
export async function listPods(client: HttpClient): Promise<Pod[]> {
  return (await client.list<Pod>('pods', 'default')).items;
}

/** Delete the given pods (grace 0) and wait until the agent has removed them all. */
export async function deletePods(client: HttpClient, names: readonly string[], timeoutMs = 300_000): Promise<void> {
  if (names.length === 0) return;
  for (const name of names) {
    try { await client.delete('pods', name, 'default', { gracePeriodSeconds: 0 }); } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NotFound')) throw e;
    }
  }
  const wanted = new Set(names);
  await until(`${names.length} pods to be removed`, async () => !(await listPods(client)).some((p) => wanted.has(p.metadata.name)), timeoutMs, 100);
}

/** True when the pod's first container has been seen running. */
export const isRunning = (pod: Pod): boolean => pod.status?.containerStatuses?.[0]?.state.running !== undefined;
