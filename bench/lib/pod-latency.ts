import type { Pod } from '../../src/api/pod.js';
import type { HttpClient } from '../../src/client/http-client.js';
import { checkStop } from './cleanup.js';
import { busyboxPod, isRunning } from './lantern.js';

/** Per pod: create request sent -> create answered, -> watch shows it bound, -> watch shows it running. */
export interface PodTiming { created: number; bound: number; running: number }

interface Pending { t0: number; bound?: number; resolve: (t: PodTiming) => void; reject: (e: Error) => void; created?: number }

const failure = (pod: Pod): string | undefined => {
  const cs = pod.status?.containerStatuses?.[0];
  if (cs?.state.terminated) return `container terminated (exit ${cs.state.terminated.exitCode})`;
  const reason = cs?.state.waiting?.reason;
  if (reason && reason !== 'ContainerCreating') return `container waiting: ${reason}: ${cs?.state.waiting?.message ?? ''}`;
  if (pod.status?.phase === 'Failed') return `pod failed: ${pod.status.message ?? pod.status.reason ?? ''}`;
  return undefined;
};

/**
 * Create `count` busybox `sleep 3600` pods one after another (each after the previous one runs) and
 * time each from the moment its create request is sent to the watch event that first shows its
 * container running. The created names go to `names` as they are made, so the caller can clean up.
 */
export async function podStartTimings(client: HttpClient, count: number, names: string[], prefix = 'lat'): Promise<PodTiming[]> {
  const list = await client.list<Pod>('pods', 'default');
  const pending = new Map<string, Pending>();
  const watcher = client.watch<Pod>('pods', 'default', { resourceVersion: list.metadata.resourceVersion }, (e) => {
    const now = performance.now();
    const p = pending.get(e.object.metadata.name);
    if (!p || e.type === 'DELETED') return;
    if (p.bound === undefined && e.object.spec.nodeName) p.bound = now - p.t0;
    if (isRunning(e.object)) {
      pending.delete(e.object.metadata.name);
      p.resolve({ created: p.created ?? Number.NaN, bound: p.bound ?? Number.NaN, running: now - p.t0 });
      return;
    }
    const bad = failure(e.object);
    if (bad) { pending.delete(e.object.metadata.name); p.reject(new Error(`pod ${e.object.metadata.name}: ${bad}`)); }
  });
  // A broken stream fails whoever is waiting instead of surfacing as an unhandled rejection.
  watcher.done.catch((e: unknown) => {
    for (const [name, p] of pending) { pending.delete(name); p.reject(new Error(`watch ended: ${e instanceof Error ? e.message : String(e)}`)); }
  });
  const out: PodTiming[] = [];
  try {
    for (let i = 0; i < count; i++) {
      checkStop();
      const name = `${prefix}-${String(i).padStart(3, '0')}`;
      let timer: NodeJS.Timeout | undefined;
      const seen = new Promise<PodTiming>((resolve, reject) => {
        const t0 = performance.now();
        pending.set(name, { t0, resolve, reject });
        timer = setTimeout(() => reject(new Error(`pod ${name} was not seen running within 60 s`)), 60_000);
      });
      names.push(name);
      const entry = pending.get(name)!;
      await client.create('pods', busyboxPod(name, ['sleep', '3600']));
      entry.created = performance.now() - entry.t0;
      try { out.push(await seen); } finally { clearTimeout(timer); }
    }
  } finally {
    watcher.stop();
  }
  return out;
}
