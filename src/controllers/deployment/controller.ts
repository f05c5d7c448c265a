import type { Pod } from '../../api/pod.js';
import type { Deployment, ReplicaSet } from '../../api/schema/apps.js';
import { ApiError } from '../../api/errors.js';
import { resolveFenceposts } from '../../api/intstr.js';
import {
  Controller, EventRecorder, controllerOf, deleteControlled, ignoreErrors, isApiError, newControllerRef, retryOnConflict, splitKey,
  type ControllerInputs,
} from '../../client/kit/index.js';
import { templateHash, templateHashLabel } from './template-hash.js';
import { rollingStep, type RsCounts } from './rolling.js';
import { deploymentStatus, isComplete } from './status.js';
import { changeCauseAnnotation, maxRevision, revisionAnnotation, revisionOf } from './revision.js';

/** Settings of the Deployment controller. */
export interface DeploymentControllerOptions extends ControllerInputs {
  /** How often every Deployment is looked at again, for the progress deadline (default 1 s). */
  resyncMs?: number;
}

/**
 * Rolls each Deployment's pods to its template through one ReplicaSet per template hash: RollingUpdate
 * within maxSurge/maxUnavailable, or Recreate; numbers revisions, keeps revisionHistoryLimit old
 * ReplicaSets, writes status and conditions, and deletes a deleted Deployment's ReplicaSets.
 */
export class DeploymentController extends Controller {
  private readonly events: EventRecorder;

  constructor(private readonly opts: DeploymentControllerOptions) {
    super(opts, { name: 'deployment-controller', retryOnError: false });
    this.events = new EventRecorder(opts.api, 'deployment-controller', () => new Date(this.loop.clock.now()));
  }

  /** Watch Deployments (resynced every period, for the progress deadline) and the ReplicaSets they control. */
  start(): void {
    this.loop.watchOwners<Deployment>('deployments', 'replicasets', { kind: 'Deployment', resyncMs: this.opts.resyncMs ?? 1000, onDeleted: (d) => this.deleteOwned(d) });
    void this.loop.start();
  }

  /** One Deployment ("ns/name"): one step of its rollout, then status. Safe to run again at any time. */
  async reconcile(key: string): Promise<void> {
    await retryOnConflict(() => this.step(key)).catch(ignoreErrors('NotFound'));
  }

  private async step(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const api = this.opts.api;
    let d = await api.get<Deployment>('deployments', name, namespace);
    let rss = await this.ownedReplicaSets(d);
    const hash = templateHash(d.spec.template);
    let newRs = rss.find((r) => r.metadata.labels?.[templateHashLabel] === hash);
    const want = d.spec.replicas ?? 1;
    const ru = d.spec.strategy?.rollingUpdate;
    const { surge, unavailable } = d.spec.strategy?.type === 'Recreate' ? { surge: 0, unavailable: want }
      : resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', want);

    if (!d.spec.paused) {
      const olds = rss.filter((r) => r !== newRs);
      const top = maxRevision(olds);
      if (!newRs) {
        newRs = await this.createReplicaSet(d, hash, top + 1, d.spec.strategy?.type === 'Recreate' || olds.some((r) => (r.spec.replicas ?? 0) > 0) ? 0 : want);
        rss = [...rss, newRs];
      } else if (revisionOf(newRs) <= top) {
        // A rollback to an older template: that ReplicaSet becomes the newest revision again.
        newRs = await api.update<ReplicaSet>('replicasets', { ...newRs, metadata: { ...newRs.metadata, annotations: { ...newRs.metadata.annotations, [revisionAnnotation]: String(top + 1) } } });
        rss = rss.map((r) => (r.metadata.uid === newRs!.metadata.uid ? newRs! : r));
      }
      const changes = d.spec.strategy?.type === 'Recreate' ? await this.recreateStep(d, newRs, olds) : rollingStep({
        replicas: want, surge, unavailable,
        newRs: counts(newRs), oldRss: olds.map(counts),
      });
      for (const [rsName, replicas] of changes) {
        const rs = rss.find((r) => r.metadata.name === rsName);
        if (!rs) continue;
        const updated = await api.update<ReplicaSet>('replicasets', { ...rs, spec: { ...rs.spec, replicas } });
        rss = rss.map((r) => (r.metadata.name === rsName ? updated : r));
        if (r0(rs) !== replicas) await this.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > r0(rs) ? 'up' : 'down'} replica set ${rsName} to ${replicas} from ${r0(rs)}`);
      }
    } else if (newRs && rss.every((r) => r === newRs || (r.spec.replicas ?? 0) === 0) && (newRs.spec.replicas ?? 0) !== want) {
      // Paused: no rollout, but scaling still applies to the one active ReplicaSet.
      newRs = await api.update<ReplicaSet>('replicasets', { ...newRs, spec: { ...newRs.spec, replicas: want } });
      rss = rss.map((r) => (r.metadata.uid === newRs!.metadata.uid ? newRs! : r));
    }

    const revision = newRs ? String(revisionOf(newRs)) : undefined;
    if (revision !== undefined && d.metadata.annotations?.[revisionAnnotation] !== revision) {
      d = await api.update<Deployment>('deployments', { ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [revisionAnnotation]: revision } } });
    }
    const status = deploymentStatus(d, newRs, rss, d.spec.strategy?.type === 'Recreate' ? want : unavailable, this.loop.clock.now());
    if (JSON.stringify(status) !== JSON.stringify(d.status)) d = await api.updateStatus<Deployment>('deployments', { ...d, status });
    if (!d.spec.paused && isComplete(d, status)) await this.cleanup(d, rss.filter((r) => r !== newRs));
  }

  /** Recreate: every old pod gone first, then the new ReplicaSet at full size. */
  private async recreateStep(d: Deployment, newRs: ReplicaSet, olds: ReplicaSet[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const r of olds) if ((r.spec.replicas ?? 0) > 0) out.set(r.metadata.name, 0);
    if (out.size > 0) return out;
    const uids = new Set(olds.map((r) => r.metadata.uid));
    const pods = await this.opts.api.list<Pod>('pods', d.metadata.namespace);
    const oldPodsLeft = pods.items.some((p) => uids.has(controllerOf(p)?.uid) && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
    if (!oldPodsLeft && (newRs.spec.replicas ?? 0) !== (d.spec.replicas ?? 1)) out.set(newRs.metadata.name, d.spec.replicas ?? 1);
    return out;
  }

  private async createReplicaSet(d: Deployment, hash: string, revision: number, replicas: number): Promise<ReplicaSet> {
    const labels = { ...d.spec.template.metadata?.labels, [templateHashLabel]: hash };
    const annotations: Record<string, string> = { [revisionAnnotation]: String(revision) };
    const cause = d.metadata.annotations?.[changeCauseAnnotation];
    if (cause !== undefined) annotations[changeCauseAnnotation] = cause;
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels,
        annotations,
        ownerReferences: [newControllerRef(d)],
      },
      spec: {
        replicas,
        ...(d.spec.minReadySeconds !== undefined ? { minReadySeconds: d.spec.minReadySeconds } : {}),
        selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [templateHashLabel]: hash } },
        template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels } },
      },
    };
    try {
      const created = await this.opts.api.create<ReplicaSet>('replicasets', rs);
      if (replicas > 0) await this.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs.metadata.name} to ${replicas}`);
      return created;
    } catch (e) {
      // Made by an earlier pass whose list we did not see yet: use it if it is ours.
      if (!isApiError(e, 'AlreadyExists')) throw e;
      const existing = await this.opts.api.get<ReplicaSet>('replicasets', rs.metadata.name, d.metadata.namespace);
      if (controllerOf(existing)?.uid !== d.metadata.uid) throw new ApiError('Conflict', `replica set ${rs.metadata.name} exists and is not owned by deployment ${d.metadata.name}`);
      return existing;
    }
  }

  /** Old ReplicaSets beyond revisionHistoryLimit, with no pods left, oldest revision first, are deleted. */
  private async cleanup(d: Deployment, olds: ReplicaSet[]): Promise<void> {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const idle = olds.filter((r) => (r.spec.replicas ?? 0) === 0 && (r.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const r of idle.slice(0, Math.max(0, olds.length - limit))) {
      await this.opts.api.delete('replicasets', r.metadata.name, r.metadata.namespace).catch(ignoreErrors('NotFound'));
    }
  }

  private async ownedReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const list = await this.opts.api.list<ReplicaSet>('replicasets', d.metadata.namespace);
    return list.items.filter((r) => controllerOf(r)?.uid === d.metadata.uid);
  }

  /** The cascade: a deleted Deployment's ReplicaSets go (and the ReplicaSet controller removes their pods). */
  private async deleteOwned(d: Deployment): Promise<void> {
    await deleteControlled(this.opts.api, 'replicasets', d, await this.ownedReplicaSets(d));
  }
}

const r0 = (rs: ReplicaSet): number => rs.spec.replicas ?? 0;

function counts(rs: ReplicaSet): RsCounts {
  return { name: rs.metadata.name, replicas: r0(rs), available: rs.status?.availableReplicas ?? 0, created: Date.parse(rs.metadata.creationTimestamp ?? '') || 0 };
}
