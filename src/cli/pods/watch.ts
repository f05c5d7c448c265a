/**
 * Wait for a pod to reach a state: evaluate a decision on its current object, then on every watch
 * event, until the decision returns a value. A broken watch stream is resumed from the last seen
 * resourceVersion (re-reading the pod first), so a server restart does not lose the wait.
 */
import type { Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import { CliError, isCode } from '../errors.js';

/** A state change of the watched pod; CURRENT is the object read before watching. */
export interface PodEvent { type: 'CURRENT' | 'ADDED' | 'MODIFIED' | 'DELETED'; pod: Pod }

/** Optional limits of a wait. */
export interface WaitOptions { timeoutMs?: number; timeoutMessage?: string }

/** Resolve with the first non-undefined value `decide` returns; reject when it throws or on timeout. */
export function watchPod<T>(client: HttpClient, ns: string, start: Pod, decide: (e: PodEvent) => T | undefined, opts: WaitOptions = {}): Promise<T> {
  const name = start.metadata.name;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let stop = (): void => {};
    let timer: NodeJS.Timeout | undefined;
    let last = start;
    let retries = 0;
    const finish = (err: unknown, value?: T): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      stop();
      if (err !== undefined) reject(err); else resolve(value as T);
    };
    const offer = (e: PodEvent): void => {
      if (settled) return;
      if (e.pod.metadata.uid && start.metadata.uid && e.pod.metadata.uid !== start.metadata.uid) return; // a namesake
      last = e.pod;
      try {
        const v = decide(e);
        if (v !== undefined) finish(undefined, v);
      } catch (err) { finish(err); }
    };
    const begin = (rv: string | undefined): void => {
      const w = client.watch<Pod>('pods', ns, { resourceVersion: rv, fieldSelector: `metadata.name=${name}` }, (ev) => {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') offer({ type: ev.type, pod: ev.object });
      });
      stop = () => w.stop();
      w.done.then(() => finish(new CliError(`the watch of pod ${name} ended unexpectedly`)), (err: unknown) => {
        if (settled) return;
        if (retries++ >= 5 || !(isCode(err, 'Unavailable') || isCode(err, 'Gone'))) { finish(err); return; }
        setTimeout(() => { void resume(); }, 200 * retries);
      });
    };
    const resume = async (): Promise<void> => {
      if (settled) return;
      try {
        const pod = await client.get<Pod>('pods', name, ns);
        offer({ type: 'MODIFIED', pod });
        if (!settled) begin(pod.metadata.resourceVersion);
      } catch (err) {
        if (isCode(err, 'NotFound')) offer({ type: 'DELETED', pod: last });
        else if (retries++ < 5) setTimeout(() => { void resume(); }, 200 * retries);
        else finish(err);
      }
    };
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => finish(new CliError(opts.timeoutMessage ?? `timed out waiting for pod ${name}`)), opts.timeoutMs);
    }
    offer({ type: 'CURRENT', pod: start });
    if (!settled) begin(start.metadata.resourceVersion);
  });
}
