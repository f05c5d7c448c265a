import type { Pod } from '../../api/pod.js';
import type { ApiObject } from '../../api/meta.js';
import type { ReplicaSet } from '../../api/schema/apps.js';
import { labelSelectorMatches } from '../../api/label-selector.js';
import {
  Controller, controllerOf, deleteControlled, ignoreErrors, isApiError, newControllerRef, splitKey, type ControllerInputs,
} from '../../client/kit/index.js';
import { isActive, isAvailable, isReady, podsToDelete } from './pod-state.js';

/** Settings of the ReplicaSet controller. */
export interface ReplicaSetControllerOptions extends ControllerInputs {
  /** How often every ReplicaSet is looked at again, for minReadySeconds (default 1 s). */
  resyncMs?: number;
}

/**
 * Keeps spec.replicas active pods owned by each ReplicaSet: creates RSNAME-xxxxx pods from the template,
 * deletes the cheapest extra ones, removes Failed pods (evicted from a lost node) so they are replaced,
 * and writes the status counts. Deletes the pods of a ReplicaSet that is gone, and a ReplicaSet whose
 * owning Deployment is gone.
 */
export class ReplicaSetController extends Controller {
  constructor(private readonly opts: ReplicaSetControllerOptions) {
    super(opts, { name: 'replicaset-controller', retryOnError: false });
  }

  /** Watch ReplicaSets (resynced every period, for minReadySeconds) and the pods they control. */
  start(): void {
    this.loop.watchOwners<ReplicaSet>('replicasets', 'pods', { kind: 'ReplicaSet', resyncMs: this.opts.resyncMs ?? 1000, onDeleted: (rs) => this.deleteOwnedPods(rs) });
    void this.loop.start();
  }

  /** One ReplicaSet ("ns/name"): owner check, pods to create or delete, then status. Safe to repeat. */
  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const api = this.opts.api;
    let rs: ReplicaSet;
    try { rs = await api.get<ReplicaSet>('replicasets', name, namespace); } catch (e) { ignoreErrors('NotFound')(e); return; }
    if (await this.ownerGone(rs)) {
      this.loop.log(`replicaset ${key}: its deployment is gone; deleting it`);
      await api.delete('replicasets', name, namespace).catch(ignoreErrors('NotFound'));
      await this.deleteOwnedPods(rs);
      return;
    }
    let pods = await this.ownedPods(rs);
    // A Failed pod (evicted from a lost node, say) does not count; deleting it lets a new one be made.
    for (const p of pods.filter((x) => x.status?.phase === 'Failed' && !x.metadata.deletionTimestamp)) {
      await api.delete('pods', p.metadata.name, namespace).catch(ignoreErrors('NotFound'));
    }
    const active = pods.filter(isActive);
    const want = rs.spec.replicas ?? 1;
    if (active.length < want) {
      await Promise.all(Array.from({ length: want - active.length }, () => api.create<Pod>('pods', this.newPod(rs))));
    } else if (active.length > want) {
      await Promise.all(podsToDelete(active, active.length - want).map((p) => api.delete('pods', p.metadata.name, namespace).catch(ignoreErrors('NotFound'))));
    }
    if (active.length !== want) pods = await this.ownedPods(rs);
    await this.writeStatus(rs, pods.filter(isActive));
  }

  private async writeStatus(rs: ReplicaSet, active: Pod[]): Promise<void> {
    const minReady = rs.spec.minReadySeconds ?? 0;
    const now = this.loop.clock.now();
    const status: NonNullable<ReplicaSet['status']> = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => Object.entries(rs.spec.template.metadata?.labels ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
      readyReplicas: active.filter(isReady).length,
      availableReplicas: active.filter((p) => isAvailable(p, minReady, now)).length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (rs.status && JSON.stringify(status) === JSON.stringify({ ...status, ...rs.status, conditions: undefined })) return;
    await this.opts.api.updateStatus<ReplicaSet>('replicasets', { ...rs, status }).catch(ignoreErrors('NotFound', 'Conflict'));
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
        ownerReferences: [newControllerRef(rs)],
      },
      spec: structuredClone(t.spec),
    };
  }

  /** Pods this ReplicaSet controls (by uid) that its selector still matches. */
  private async ownedPods(rs: ReplicaSet): Promise<Pod[]> {
    const list = await this.opts.api.list<Pod>('pods', rs.metadata.namespace);
    return list.items.filter((p) => controllerOf(p)?.uid === rs.metadata.uid && labelSelectorMatches(rs.spec.selector, p.metadata.labels));
  }

  /** True when the ReplicaSet names a controlling Deployment that no longer exists (or was re-created). */
  private async ownerGone(rs: ReplicaSet): Promise<boolean> {
    const owner = controllerOf(rs);
    if (owner?.kind !== 'Deployment') return false;
    try {
      const d = await this.opts.api.get<ApiObject>('deployments', owner.name, rs.metadata.namespace);
      return d.metadata.uid !== owner.uid;
    } catch (e) {
      if (!isApiError(e, 'NotFound')) throw e;
      return true;
    }
  }

  /** The cascade: pods controlled by a deleted ReplicaSet go with it. */
  private async deleteOwnedPods(rs: ReplicaSet): Promise<void> {
    const list = await this.opts.api.list<Pod>('pods', rs.metadata.namespace);
    await deleteControlled(this.opts.api, 'pods', rs, list.items);
  }
}
