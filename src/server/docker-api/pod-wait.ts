/** Wait for a pod to reach a state through one in-process watch (the same decision shape lcctl's waits use). */
import type { ApiClient } from '../../client/types.js';
import type { Pod } from '../../api/pod.js';

/** What the watched pod did: its state now, or that it is gone. */
export interface PodChange { deleted: boolean; pod: Pod }

/**
 * Resolve with the first value `decide` returns for the current pod or a later change; reject when it
 * throws, the watch breaks, or the signal aborts (a client that hung up).
 */
export function waitPod<T>(api: ApiClient, start: Pod, decide: (c: PodChange) => T | undefined, signal?: AbortSignal): Promise<T> {
  const ns = start.metadata.namespace ?? 'default';
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let stop = (): void => {};
    const finish = (err: unknown, value?: T): void => {
      if (settled) return;
      settled = true;
      stop();
      signal?.removeEventListener('abort', onAbort);
      if (err !== undefined) reject(err); else resolve(value as T);
    };
    const onAbort = (): void => finish(new Error('the client went away'));
    const offer = (c: PodChange): void => {
      if (settled || (c.pod.metadata.uid !== undefined && c.pod.metadata.uid !== start.metadata.uid)) return;
      try {
        const v = decide(c);
        if (v !== undefined) finish(undefined, v);
      } catch (e) { finish(e); }
    };
    if (signal?.aborted) { onAbort(); return; }
    signal?.addEventListener('abort', onAbort);
    offer({ deleted: false, pod: start });
    if (settled) return;
    const w = api.watch<Pod>('pods', ns, { resourceVersion: start.metadata.resourceVersion, fieldSelector: `metadata.name=${start.metadata.name}`, readOnly: true }, (ev) => {
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') offer({ deleted: ev.type === 'DELETED', pod: ev.object });
    });
    stop = () => w.stop();
    w.done.then(() => finish(new Error(`the watch of pod ${start.metadata.name} ended`)), (e: unknown) => finish(e));
  });
}
