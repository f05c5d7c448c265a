/**
 * The status hook: after each sync, the pod's status as the slots say (pods/pod-status.ts), written
 * only when it changed, re-read and retried on a conflict (three tries; the next sync tries again);
 * never for a pod the control plane gave up on (NodeLost) or that is gone.
 */
import type { Pod } from '../../../api/pod.js';
import { isNodeLost } from '../../../api/node-lifecycle.js';
import type { ApiClient } from '../../../client/types.js';
import { ignoreErrors, retryOnConflict } from '../../../client/kit/index.js';
import { computePodStatus, sameStatus } from '../pod-status.js';
import type { PodHook, PodRun } from '../pod-hook.js';
import { isUnreachable, withDeadline } from '../../offline/unreachable.js';

/** How soon a status the server could not take is offered again (the newest status then: level-triggered). */
const offlineRetryMs = 3000;
/** The longest a sync waits for its status write (a link that drops packets would hold it for minutes). */
const writeDeadlineMs = 10_000;

/** The status hook of one pod. */
export class StatusHook implements PodHook {
  readonly name = 'status';
  constructor(private readonly api: ApiClient, private readonly hostIP: string) {}

  async update(run: PodRun): Promise<void> {
    const pod = run.pod;
    const net = { podIP: run.net.ip, hostIP: this.hostIP };
    if (sameStatus(pod.status, computePodStatus(pod, run.slots, net))) return;
    await retryOnConflict(async (attempt) => {
      const fresh = attempt === 0 ? pod : await this.api.get<Pod>('pods', pod.metadata.name, pod.metadata.namespace);
      if (fresh.metadata.uid !== pod.metadata.uid || isNodeLost(fresh)) return;
      run.pod = await withDeadline(this.api.updateStatus<Pod>('pods', { ...fresh, status: computePodStatus(fresh, run.slots, net) }), writeDeadlineMs, 'writing the pod status');
    }, { attempts: 3 }).catch((e: unknown) => {
      // Cut off (edge autonomy): run.pod keeps the last status the server took, so the next sync
      // computes the newest one again and sends it once the server answers; only that one is sent.
      if (!isUnreachable(e)) return ignoreErrors('NotFound', 'Conflict')(e);
      run.later(offlineRetryMs);
      return undefined;
    });
  }
}
