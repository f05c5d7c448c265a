/**
 * The pod manager's side of edge autonomy: keep each pod the informer delivers in the node's record,
 * tell when the first list failed (start from the record), and reconcile once the server answers.
 */
import type { Pod } from '../../api/pod.js';
import { podReferences } from '../../api/pod-config-refs.js';
import type { Informer } from '../../client/kit/index.js';
import type { NodeRecord } from './record.js';

/** How long the pod manager's start waits for its first list before it runs the record. */
const firstListDeadlineMs = 10_000;

/** How the pod manager's start ended: the informer listed, or its first list failed (run the record). */
export type FirstList = 'listed' | 'offline';

/** Watches the informer's log for its first failed list; wait() settles on whichever comes first. */
export function firstListOrFailure(): { told(msg: string): void; wait(listed: Promise<void>, record: NodeRecord | undefined, known?: boolean): Promise<FirstList> } {
  let failed: () => void = () => undefined;
  const failure = new Promise<void>((resolve) => { failed = resolve; });
  let done = false;
  return {
    // The kit's informer says "listing failed (...)" each time its list fails before it retries.
    told: (msg) => { if (!done && msg.startsWith('listing failed')) failed(); },
    // known: the server is known to be out of reach already (the join found it so): no need to wait.
    async wait(listed, record, known = false) {
      if (!record) { await listed; done = true; return 'listed'; }
      if (known) { done = true; return 'offline'; }
      // A link that drops packets fails no list for minutes: go offline after a bounded wait too.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<FirstList>((resolve) => { timer = setTimeout(() => resolve('offline'), firstListDeadlineMs); timer.unref(); });
      const how = await Promise.race([listed.then((): FirstList => 'listed'), failure.then((): FirstList => 'offline'), late]);
      clearTimeout(timer);
      done = true;
      return how;
    },
  };
}

/** Keep the pod as the informer delivered it (best effort: a failed write is logged by the record). */
export function recordPod(record: NodeRecord | undefined, pod: Pod): void {
  if (record) void record.savePod(pod);
}

/** The pod left this node: forget it and the config objects no remaining pod uses. */
export function forgetPod(record: NodeRecord | undefined, pod: Pod, remaining: Iterable<{ pod: Pod }>): void {
  if (!record) return;
  const used = new Set<string>();
  for (const r of remaining) {
    const ns = r.pod.metadata.namespace ?? 'default';
    for (const resource of ['configmaps', 'secrets']) for (const name of podReferences(r.pod, resource)) used.add(`${resource}/${ns}/${name}`);
  }
  void record.forgetPod(pod.metadata.uid ?? '').then(() => record.prune((resource, ns, name) => used.has(`${resource}/${ns}/${name}`)));
}

/**
 * The server answered after an offline start: a pod run from the record that the list does not have
 * was deleted meanwhile, so it is torn down as a deleted pod (its containers stopped and removed);
 * pods still bound were updated by the list itself, and their runners send their newest status.
 */
export function reconcileAfterOffline(runners: Map<string, { pod: Pod }>, informer: Informer<Pod>, removed: (pod: Pod) => void, log: (m: string) => void): void {
  const listed = new Set(informer.list().map((p) => p.metadata.uid ?? ''));
  for (const [uid, r] of [...runners]) {
    if (listed.has(uid)) continue;
    log(`pod ${r.pod.metadata.namespace ?? 'default'}/${r.pod.metadata.name}: deleted while this node was cut off; stopping it`);
    removed(r.pod);
  }
  log('reconnected: the pod list is in; running from the API again');
}
