import type { Pod } from '../../api/pod.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/schema/storage.js';
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../../api/storage.js';
import { Controller, ignoreErrors, keyOf, splitKey, type ControllerInputs } from '../../client/kit/index.js';
import { claimNamesOf, podsUsing } from './plan.js';

/** Settings of the protection controller. */
export type PvcProtectionControllerOptions = ControllerInputs;

const notFound = <T>(e: unknown): T | undefined => { ignoreErrors('NotFound')(e); return undefined; };

/**
 * Kubernetes' pvc-protection and pv-protection: every claim carries the finalizer
 * kubernetes.io/pvc-protection, removed once the claim is being deleted and no live pod uses it;
 * every volume carries kubernetes.io/pv-protection, removed once it is deleted and not Bound. So a
 * claim is never deleted under its pod (the delete waits, the claim shows Terminating).
 * Keys are "pvc:ns/name" and "pv:name".
 */
export class PvcProtectionController extends Controller {
  constructor(opts: PvcProtectionControllerOptions) {
    super(opts, { name: 'pvc-protection-controller', retryOnError: true });
  }

  /** Follow claims, volumes and pods (a pod's end frees its claims). */
  async start(): Promise<void> {
    const q = this.loop.queue;
    const claim = (c: PersistentVolumeClaim): void => q.add(`pvc:${keyOf(c)}`);
    const pv = (v: PersistentVolume): void => q.add(`pv:${v.metadata.name}`);
    const pod = (p: Pod): void => { for (const n of claimNamesOf(p)) q.add(`pvc:${p.metadata.namespace ?? 'default'}/${n}`); };
    this.loop.watch(this.loop.informer<PersistentVolumeClaim>('persistentvolumeclaims'), { onAdd: claim, onUpdate: (_, c) => claim(c) });
    this.loop.watch(this.loop.informer<PersistentVolume>('persistentvolumes'), { onAdd: pv, onUpdate: (_, v) => pv(v) });
    this.loop.watch(this.loop.informer<Pod>('pods'), { onAdd: pod, onUpdate: (_, p) => pod(p), onDelete: pod });
    await this.loop.start();
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith('pv:')) return this.syncVolume(key.slice(3));
    if (key.startsWith('pvc:')) return this.syncClaim(key.slice(4));
  }

  private async syncClaim(key: string): Promise<void> {
    const { namespace = 'default', name } = splitKey(key);
    const api = this.loop.api;
    const claim = await api.get<PersistentVolumeClaim>('persistentvolumeclaims', name, namespace).catch(notFound<PersistentVolumeClaim>);
    if (!claim) return;
    const finalizers = claim.metadata.finalizers ?? [];
    if (!claim.metadata.deletionTimestamp) {
      if (!finalizers.includes(PVC_PROTECTION_FINALIZER)) await api.update('persistentvolumeclaims', { ...claim, metadata: { ...claim.metadata, finalizers: [...finalizers, PVC_PROTECTION_FINALIZER] } });
      return;
    }
    if (!finalizers.includes(PVC_PROTECTION_FINALIZER)) return;
    if (podsUsing(claim, (await api.list<Pod>('pods', namespace)).items).length > 0) return; // a pod's change queues it again
    await api.update('persistentvolumeclaims', { ...claim, metadata: { ...claim.metadata, finalizers: finalizers.filter((f) => f !== PVC_PROTECTION_FINALIZER) } }).catch(ignoreErrors('NotFound'));
  }

  private async syncVolume(name: string): Promise<void> {
    const api = this.loop.api;
    const pv = await api.get<PersistentVolume>('persistentvolumes', name, undefined).catch(notFound<PersistentVolume>);
    if (!pv) return;
    const finalizers = pv.metadata.finalizers ?? [];
    if (!pv.metadata.deletionTimestamp) {
      if (!finalizers.includes(PV_PROTECTION_FINALIZER)) await api.update('persistentvolumes', { ...pv, metadata: { ...pv.metadata, finalizers: [...finalizers, PV_PROTECTION_FINALIZER] } });
      return;
    }
    if (!finalizers.includes(PV_PROTECTION_FINALIZER) || pv.status?.phase === 'Bound') return;
    await api.update('persistentvolumes', { ...pv, metadata: { ...pv.metadata, finalizers: finalizers.filter((f) => f !== PV_PROTECTION_FINALIZER) } }).catch(ignoreErrors('NotFound'));
  }
}
