import type { Pod } from '../../api/pod.js';
import type { StatefulSet, StatefulSetStatus } from '../../api/schema/statefulset.js';
import type { ControllerRevision } from '../../api/schema/controllerrevision.js';
import { labelSelectorMatches } from '../../api/label-selector.js';
import {
  Controller, EventRecorder, controllerOf, deleteControlled, ignoreErrors, isApiError, retryOnConflict, splitKey, type ControllerInputs,
} from '../../client/kit/index.js';
import { isAvailable, isReady } from '../replicaset/pod-state.js';
import { deleteRevisions, ensureRevision, revisionHashLabel, revisionsOf, templateOf, trimHistory } from '../history/revisions.js';
import { ordinalOf, planStatefulSet, setCounts, type OrdinalPod, type SetView } from './plan.js';
import { claimName, claimsFor, newSetPod, type ClaimObject } from './pods.js';

/** Settings of the StatefulSet controller. */
export interface StatefulSetControllerOptions extends ControllerInputs {
  /** How often every StatefulSet is looked at again, for minReadySeconds (default 1 s). */
  resyncMs?: number;
}

/**
 * Keeps each StatefulSet's pods NAME-0..N-1, each with its claims made first and kept: ordered or
 * parallel, rolled to the update revision down to the partition, with the template history in
 * ControllerRevisions, status, events, and the claim retention policy on scale-down and deletion.
 */
export class StatefulSetController extends Controller {
  private readonly events: EventRecorder;

  constructor(private readonly opts: StatefulSetControllerOptions) {
    super(opts, { name: 'statefulset-controller', retryOnError: false });
    this.events = new EventRecorder(opts.api, 'statefulset-controller', () => new Date(this.loop.clock.now()));
  }

  /** Watch StatefulSets (resynced for minReadySeconds) and the pods they control. */
  start(): void {
    this.loop.watchOwners<StatefulSet>('statefulsets', 'pods', { kind: 'StatefulSet', resyncMs: this.opts.resyncMs ?? 1000, onDeleted: (s) => this.deleteOwned(s) });
    void this.loop.start();
  }

  /** One StatefulSet ("ns/name"): one pass of creates/deletes, then status. Safe to run again at any time. */
  async reconcile(key: string): Promise<void> {
    await retryOnConflict(() => this.step(key)).catch(ignoreErrors('NotFound'));
  }

  private async step(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const api = this.opts.api;
    const set = await api.get<StatefulSet>('statefulsets', name, namespace);
    if (set.metadata.deletionTimestamp) return;
    const { update, revisions } = await ensureRevision(api, set, await revisionsOf(api, set));
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    const view: SetView = {
      replicas: set.spec.replicas ?? 1, start: set.spec.ordinals?.start ?? 0,
      parallel: set.spec.podManagementPolicy === 'Parallel', rollingUpdate: (set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate',
      partition: set.spec.updateStrategy?.rollingUpdate?.partition ?? 0,
      currentRevision: current.metadata.name, updateRevision: update.metadata.name,
    };
    let pods = await this.ownedPods(set);
    const plan = planStatefulSet(view, pods.map(ordinalPod(set)));
    for (const c of plan.create) {
      const rev = c.revision === update.metadata.name ? update : current;
      if (!(await this.ensureClaims(set, c.ordinal))) break;
      await this.createPod(set, rev, c.ordinal);
    }
    for (const podName of plan.delete) {
      await api.delete('pods', podName, namespace).catch(ignoreErrors('NotFound'));
      await this.events.record(set, 'Normal', 'SuccessfulDelete', `delete Pod ${podName} in StatefulSet ${name} successful`);
    }
    if (plan.create.length > 0 || plan.delete.length > 0) pods = await this.ownedPods(set);
    await this.deleteScaledClaims(set, pods);
    await this.writeStatus(set, view, pods);
    await trimHistory(api, set, revisions, new Set([view.currentRevision, view.updateRevision, ...pods.map((p) => p.metadata.labels?.[revisionHashLabel] ?? '')]));
  }

  /** Make the ordinal's missing claims; false (with a Warning event) when one cannot be made. */
  private async ensureClaims(set: StatefulSet, ordinal: number): Promise<boolean> {
    for (const claim of claimsFor(set, ordinal)) {
      try {
        await this.opts.api.create<ClaimObject>('persistentvolumeclaims', claim);
        await this.events.record(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${set.metadata.name}-${ordinal} in StatefulSet ${set.metadata.name} success`);
      } catch (e) {
        if (isApiError(e, 'AlreadyExists')) continue; // kept from an earlier pod of this ordinal: that is the point
        await this.events.record(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${set.metadata.name}-${ordinal} in StatefulSet ${set.metadata.name} failed error: ${e instanceof Error ? e.message : String(e)}`);
        return false;
      }
    }
    return true;
  }

  private async createPod(set: StatefulSet, rev: ControllerRevision, ordinal: number): Promise<void> {
    const template = templateOf(rev) ?? set.spec.template;
    const pod = newSetPod(set, template, ordinal, rev.metadata.name);
    try {
      await this.opts.api.create<Pod>('pods', pod);
      await this.events.record(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (e) {
      if (isApiError(e, 'AlreadyExists')) return; // a pod of a deleted set of this name still going, or our own last pass
      await this.events.record(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  /** whenScaled: Delete: the claims of ordinals beyond the replicas go once their pods have. */
  private async deleteScaledClaims(set: StatefulSet, pods: Pod[]): Promise<void> {
    if (set.spec.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete' || !set.spec.volumeClaimTemplates?.length) return;
    const start = set.spec.ordinals?.start ?? 0;
    const end = start + (set.spec.replicas ?? 1);
    const live = new Set(pods.map((p) => ordinalOf(set.metadata.name, p.metadata.name)));
    const claims = await this.opts.api.list<ClaimObject>('persistentvolumeclaims', set.metadata.namespace).catch(() => ({ items: [] as ClaimObject[] }));
    for (const c of claims.items) {
      const ord = this.claimOrdinal(set, c.metadata.name);
      if (ord === undefined || (ord >= start && ord < end) || live.has(ord)) continue;
      await this.opts.api.delete('persistentvolumeclaims', c.metadata.name, set.metadata.namespace).catch(ignoreErrors('NotFound'));
    }
  }

  private claimOrdinal(set: StatefulSet, claim: string): number | undefined {
    for (const t of set.spec.volumeClaimTemplates ?? []) {
      const prefix = `${t.metadata.name}-`;
      if (!claim.startsWith(prefix)) continue;
      const ord = ordinalOf(set.metadata.name, claim.slice(prefix.length));
      if (ord !== undefined && claimName(set, t.metadata.name, ord) === claim) return ord;
    }
    return undefined;
  }

  private async writeStatus(set: StatefulSet, view: SetView, pods: Pod[]): Promise<void> {
    const now = this.loop.clock.now();
    const minReady = set.spec.minReadySeconds ?? 0;
    const byName = new Map(pods.map((p) => [p.metadata.name, p]));
    const counts = setCounts(view, pods.map(ordinalPod(set)), (o) => { const p = byName.get(o.name); return p !== undefined && isAvailable(p, minReady, now); });
    // The rollout is complete once every pod is at the update revision and ready: it becomes current.
    const done = counts.updatedReplicas === counts.replicas && counts.readyReplicas === counts.replicas && counts.replicas === view.replicas;
    const status: StatefulSetStatus = {
      observedGeneration: set.metadata.generation ?? 1,
      ...counts,
      currentReplicas: done ? counts.updatedReplicas : counts.currentReplicas,
      currentRevision: done ? view.updateRevision : view.currentRevision,
      updateRevision: view.updateRevision,
      collisionCount: set.status?.collisionCount ?? 0,
    };
    if (JSON.stringify(status) === JSON.stringify(set.status)) return;
    await this.opts.api.updateStatus<StatefulSet>('statefulsets', { ...set, status });
  }

  /** Pods this set controls (by uid) that its selector matches and whose names carry an ordinal. */
  private async ownedPods(set: StatefulSet): Promise<Pod[]> {
    const list = await this.opts.api.list<Pod>('pods', set.metadata.namespace);
    return list.items.filter((p) => controllerOf(p)?.uid === set.metadata.uid && labelSelectorMatches(set.spec.selector, p.metadata.labels) && ordinalOf(set.metadata.name, p.metadata.name) !== undefined);
  }

  /** The cascade: pods and revisions go with the set; claims too when whenDeleted is Delete. */
  private async deleteOwned(set: StatefulSet): Promise<void> {
    const api = this.opts.api;
    await deleteControlled(api, 'pods', set, (await api.list<Pod>('pods', set.metadata.namespace)).items);
    await deleteRevisions(api, set);
    if (set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted !== 'Delete') return;
    const claims = await api.list<ClaimObject>('persistentvolumeclaims', set.metadata.namespace).catch(() => ({ items: [] as ClaimObject[] }));
    for (const c of claims.items) {
      if (this.claimOrdinal(set, c.metadata.name) === undefined) continue;
      if (!c.metadata.ownerReferences?.some((o) => o.uid === set.metadata.uid)) continue;
      await api.delete('persistentvolumeclaims', c.metadata.name, set.metadata.namespace).catch(ignoreErrors('NotFound'));
    }
  }
}

/** The plan's view of one pod. */
const ordinalPod = (set: StatefulSet) => (p: Pod): OrdinalPod => ({
  name: p.metadata.name,
  ordinal: ordinalOf(set.metadata.name, p.metadata.name) ?? -1,
  revision: p.metadata.labels?.[revisionHashLabel],
  phase: p.status?.phase,
  ready: isReady(p),
  terminating: p.metadata.deletionTimestamp !== undefined,
});
