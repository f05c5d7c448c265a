import type { Pod } from '../../api/pod.js';
import type { ApiObject } from '../../api/meta.js';
import type { ReplicaSet } from '../../api/schema/apps.js';
import { ApiError } from '../../api/errors.js';
import { systemClock, type Clock } from '../../api/clock.js';
import type { ApiClient } from '../../client/types.js';
import { selectorMatches } from '../../api/kinds/pod-template.js';
import { WorkQueue, splitKey } from './work-queue.js';
import { controllerOf, isActive, isAvailable, isReady, podsToDelete } from './pod-state.js';

/** Settings of the ReplicaSet controller. */
export interface ReplicaSetControllerOptions {
  api: ApiClient;
  clock?: Clock;
  /** How often every ReplicaSet is looked at again, for minReadySeconds (default 1 s). */
  resyncMs?: number;
  log?: (msg: string) => void;
}

const ignore = (...codes: string[]) => (e: unknown): void => {
  if (!(e instanceof ApiError && codes.includes(e.code))) throw e;
};

/**
 * Keeps spec.replicas active pods owned by each ReplicaSet: creates RSNAME-xxxxx pods from the template,
 * deletes the cheapest extra ones, removes Failed pods (evicted from a lost node) so they are replaced,
 * and writes the status counts. Deletes the pods of a ReplicaSet that is gone, and a ReplicaSet whose
 * owning Deployment is gone.
 */
export class ReplicaSetController {
  private readonly clock: Clock;
  private readonly log: (msg: string) => void;
  private readonly queue: WorkQueue;

  constructor(private readonly opts: ReplicaSetControllerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? ((m) => console.error(`replicaset-controller: ${m}`));
    this.queue = new WorkQueue(opts.api, (k) => this.reconcile(k), this.log);
  }

  /** Watch ReplicaSets and pods, and resync every ReplicaSet each period. */
  start(): void {
    this.queue.watchOwners<ReplicaSet>({ resource: 'replicasets', kind: 'ReplicaSet', onDeleted: (rs) => this.deleteOwnedPods(rs) }, 'pods', this.opts.resyncMs ?? 1000);
  }

  stop(): void {
    this.queue.stop();
  }

  /** Resolves once queued work is done. */
  idle(): Promise<void> { return this.queue.idle(); }

  /** One ReplicaSet ("ns/name"): owner check, pods to create or delete, then status. Safe to repeat. */
  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const api = this.opts.api;
    let rs: ReplicaSet;
    try { rs = await api.get<ReplicaSet>('replicasets', name, namespace); } catch (e) { ignore('NotFound')(e); return; }
    if (await this.ownerGone(rs)) {
      this.log(`replicaset ${key}: its deployment is gone; deleting it`);
      await api.delete('replicasets', name, namespace).catch(ignore('NotFound'));
      await this.deleteOwnedPods(rs);
      return;
    }
    let pods = await this.ownedPods(rs);
    // A Failed pod (evicted from a lost node, say) does not count; deleting it lets a new one be made.
    for (const p of pods.filter((x) => x.status?.phase === 'Failed' && !x.metadata.deletionTimestamp)) {
      await api.delete('pods', p.metadata.name, namespace).catch(ignore('NotFound'));
    }
    const active = pods.filter(isActive);
    const want = rs.spec.replicas ?? 1;
    if (active.length < want) {
      await Promise.all(Array.from({ length: want - active.length }, () => api.create<Pod>('pods', this.newPod(rs))));
    } else if (active.length > want) {
      await Promise.all(podsToDelete(active, active.length - want).map((p) => api.delete('pods', p.metadata.name, namespace).catch(ignore('NotFound'))));
    }
    if (active.length !== want) pods = await this.ownedPods(rs);
    await this.writeStatus(rs, pods.filter(isActive));
  }

  private async writeStatus(rs: ReplicaSet, active: Pod[]): Promise<void> {
    const minReady = rs.spec.minReadySeconds ?? 0;
    const now = this.clock.now();
    const status: NonNullable<ReplicaSet['status']> = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => Object.entries(rs.spec.template.metadata?.labels ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
      readyReplicas: active.filter(isReady).length,
      availableReplicas: active.filter((p) => isAvailable(p, minReady, now)).length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (rs.status && JSON.stringify(status) === JSON.stringify({ ...status, ...rs.status, conditions: undefined })) return;
    await this.opts.api.updateStatus<ReplicaSet>('replicasets', { ...rs, status }).catch(ignore('NotFound', 'Conflict'));
  }

  private newPod(rs: ReplicaSet): Pod {
    const t = rs.spec.template;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...t.metadata?.labels },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(t.spec),
    };
  }

  /** Pods this ReplicaSet controls (by uid) that its selector still matches. */
  private async ownedPods(rs: ReplicaSet): Promise<Pod[]> {
    const list = await this.opts.api.list<Pod>('pods', rs.metadata.namespace);
    return list.items.filter((p) => controllerOf(p)?.uid === rs.metadata.uid && selectorMatches(rs.spec.selector, p.metadata.labels));
  }

  /** True when the ReplicaSet names a controlling Deployment that no longer exists (or was re-created). */
  private async ownerGone(rs: ReplicaSet): Promise<boolean> {
    const owner = controllerOf(rs);
    if (owner?.kind !== 'Deployment') return false;
    try {
      const d = await this.opts.api.get<ApiObject>('deployments', owner.name, rs.metadata.namespace);
      return d.metadata.uid !== owner.uid;
    } catch (e) {
      ignore('NotFound')(e);
      return true;
    }
  }

  /** The cascade: pods controlled by a deleted ReplicaSet go with it. */
  private async deleteOwnedPods(rs: ReplicaSet): Promise<void> {
    const list = await this.opts.api.list<Pod>('pods', rs.metadata.namespace);
    const owned = list.items.filter((p) => controllerOf(p)?.uid === rs.metadata.uid && !p.metadata.deletionTimestamp);
    await Promise.all(owned.map((p) => this.opts.api.delete('pods', p.metadata.name, rs.metadata.namespace).catch(ignore('NotFound'))));
  }
}
