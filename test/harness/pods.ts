import type { TestServer } from './lanternd.js';

/** The parts of a Pod the end-to-end tests read. */
export interface PodView {
  metadata: { name: string; uid: string; resourceVersion: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      restartCount: number;
      containerID?: string;
      state: { running?: { startedAt?: string }; waiting?: { reason?: string; message?: string }; terminated?: { exitCode: number; reason?: string; startedAt?: string; finishedAt?: string } };
      lastState?: { terminated?: { exitCode: number; reason?: string } };
    }[];
  };
}

/** A minimal busybox pod manifest. */
export function busyboxPod(name: string, command: string[], extra: { restartPolicy?: string; spec?: Record<string, unknown>; container?: Record<string, unknown> } = {}): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { restartPolicy: extra.restartPolicy ?? 'Never', containers: [{ name: 'main', image: 'busybox', command, ...extra.container }], ...extra.spec },
  };
}

export async function getPod(server: TestServer, name: string): Promise<PodView | undefined> {
  const r = await server.api<PodView>('GET', `/api/v1/namespaces/default/pods/${name}`);
  return r.status === 200 ? r.body : undefined;
}

/** Wait until the pod's first container satisfies a predicate. */
export async function waitContainer(server: TestServer, name: string, what: string, pred: (s: NonNullable<NonNullable<PodView['status']>['containerStatuses']>[number], pod: PodView) => boolean, timeoutMs?: number): Promise<PodView> {
  return server.until(`pod ${name}: ${what}`, async () => {
    const pod = await getPod(server, name);
    const cs = pod?.status?.containerStatuses?.[0];
    return pod && cs && pred(cs, pod) ? pod : undefined;
  }, timeoutMs);
}

/** Import the sample busybox image into the server's node. */
export async function importBusybox(server: TestServer, archive: string): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const res = await fetch(`${server.url}/apis/lantern.dev/v1/images?ref=busybox:latest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/x-tar' },
    body: await readFile(archive),
  });
  if (res.status !== 201) throw new Error(`image import failed: ${res.status} ${await res.text()}`);
}
