import type { Node } from '../../api/node.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/schema/storage.js';
import {
  BIND_COMPLETED_ANNOTATION, PROVISIONED_BY_ANNOTATION, SELECTED_NODE_ANNOTATION,
  STORAGE_PROVISIONER_ANNOTATION, claimRequestBytes, isDefaultClass, volumeBytes,
} from '../../api/storage.js';
import { Controller, EventRecorder, ignoreErrors, isApiError, keyOf, retryOnConflict, splitKey, type ControllerInputs } from '../../client/kit/index.js';
import { findVolumeFor, mismatch, volumePhase } from './plan.js';
import { builtinProvisioners, ProvisioningError, type Provisioner } from './provisioner.js';
import { ensureDefaultStorageClass } from './default-class.js';

/** Settings of the PersistentVolume controller. */
export interface PersistentVolumeControllerOptions extends ControllerInputs {
  /** The provisioners run on the server (default: builtinProvisioners()). */
  provisioners?: readonly Provisioner[];
  /** Create the default local-path StorageClass at start (default true). */
  defaultClass?: boolean;
}

const notFound = <T>(e: unknown): T | undefined => { ignoreErrors('NotFound')(e); return undefined; };

/**
 * Kubernetes' PV controller: binds claims to volumes (static, or dynamic through a Provisioner),
 * keeps the phases of both (Pending/Bound/Lost, Available/Bound/Released/Failed), grows a bound
 * volume when its class allows expansion, and reclaims released volumes (Retain keeps them,
 * Delete removes them through their provisioner). Keys are "pvc:ns/name" and "pv:name".
 */
export class PersistentVolumeController extends Controller {
  private readonly provisioners: Map<string, Provisioner>;
  private readonly events: EventRecorder;
  private readonly defaultClass: boolean;

  constructor(opts: PersistentVolumeControllerOptions) {
    super(opts, { name: 'persistentvolume-controller', retryOnError: true });
    this.provisioners = new Map((opts.provisioners ?? builtinProvisioners()).map((p) => [p.name, p]));
    this.events = new EventRecorder(opts.api, 'persistentvolume-controller');
    this.defaultClass = opts.defaultClass ?? true;
  }

  /** Make the default class, follow claims, volumes and classes; resolves once their first lists are in. */
  async start(): Promise<void> {
    if (this.defaultClass) await ensureDefaultStorageClass(this.loop.api);
    const q = this.loop.queue;
    const claim = (c: PersistentVolumeClaim): void => q.add(`pvc:${keyOf(c)}`);
    const volume = (pv: PersistentVolume): void => {
      q.add(`pv:${pv.metadata.name}`);
      const ref = pv.spec.claimRef;
      if (ref?.name) q.add(`pvc:${ref.namespace ?? 'default'}/${ref.name}`);
    };
    this.loop.watch(this.loop.informer<PersistentVolumeClaim>('persistentvolumeclaims'), {
      onAdd: claim, onUpdate: (_, c) => claim(c),
      onDelete: (c) => { if (c.spec.volumeName) q.add(`pv:${c.spec.volumeName}`); },
    }, { resyncMs: 60_000 });
    this.loop.watch(this.loop.informer<PersistentVolume>('persistentvolumes'), { onAdd: volume, onUpdate: (_, pv) => volume(pv), onDelete: volume });
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
    if (!claim || claim.metadata.deletionTimestamp) return;
    if (claim.spec.storageClassName === undefined) {
      const def = (await api.list<StorageClass>('storageclasses')).items.find(isDefaultClass);
      // As Kubernetes since 1.28: a claim made before any default class exists gets it when one appears.
      if (def) await api.update<PersistentVolumeClaim>('persistentvolumeclaims', { ...claim, spec: { ...claim.spec, storageClassName: def.metadata.name } });
      else if (claim.spec.volumeName === undefined) await this.bindStatic(claim);
      return;
    }
    if (claim.spec.volumeName) return this.syncBoundClaim(claim);
    if (await this.bindStatic(claim)) return;
    const className = claim.spec.storageClassName;
    if (className === '') {
      await this.events.record(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    const sc = await api.get<StorageClass>('storageclasses', className, undefined).catch(notFound<StorageClass>);
    if (!sc) {
      await this.events.record(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    const selected = claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selected) {
      await this.events.record(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    const provisioner = this.provisioners.get(sc.provisioner);
    if (!provisioner) {
      if (claim.metadata.annotations?.[STORAGE_PROVISIONER_ANNOTATION] !== sc.provisioner) {
        await api.update<PersistentVolumeClaim>('persistentvolumeclaims', { ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, [STORAGE_PROVISIONER_ANNOTATION]: sc.provisioner } } });
      }
      await this.events.record(claim, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator.`);
      return;
    }
    await this.provision(claim, sc, provisioner, selected);
  }

  private async provision(claim: PersistentVolumeClaim, sc: StorageClass, provisioner: Provisioner, selected: string | undefined): Promise<void> {
    const api = this.loop.api;
    const node = selected ? await api.get<Node>('nodes', selected, undefined).catch(notFound<Node>) : undefined;
    let spec;
    try {
      spec = await provisioner.provision(claim, sc, node);
    } catch (e) {
      if (!(e instanceof ProvisioningError)) throw e;
      await this.events.record(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${e.message}`);
      // As external-provisioner: a failure may pass (an NFS server still starting), so the claim goes back on the queue with back-off.
      throw e;
    }
    const pvName = `pvc-${claim.metadata.uid ?? claim.metadata.name}`;
    const pv: PersistentVolume = {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { [PROVISIONED_BY_ANNOTATION]: provisioner.name }, finalizers: ['kubernetes.io/pv-protection'] },
      spec: {
        ...spec,
        storageClassName: sc.metadata.name,
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        ...(sc.mountOptions ? { mountOptions: sc.mountOptions } : {}),
        claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata.namespace ?? 'default', name: claim.metadata.name, uid: claim.metadata.uid ?? '' },
      },
    };
    const created = await api.create<PersistentVolume>('persistentvolumes', pv).catch(async (e: unknown) => {
      if (!isApiError(e, 'AlreadyExists')) throw e;
      return api.get<PersistentVolume>('persistentvolumes', pvName, undefined);
    });
    await this.events.record(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName} with ${provisioner.name}${node ? ` on node ${node.metadata.name}` : ''}`);
    await this.bind(claim, created);
  }

  /** Bind to an existing PV that fits; false when none does. */
  private async bindStatic(claim: PersistentVolumeClaim): Promise<boolean> {
    const pvs = (await this.loop.api.list<PersistentVolume>('persistentvolumes')).items;
    const pv = findVolumeFor(claim, pvs);
    if (!pv) {
      if (claim.spec.volumeName) {
        const named = pvs.find((v) => v.metadata.name === claim.spec.volumeName);
        await this.events.record(claim, 'Warning', 'FailedBinding', named ? `volume "${named.metadata.name}" cannot serve this claim: ${mismatch(named, claim)}` : `volume "${claim.spec.volumeName}" not found`);
        return true;
      }
      return false;
    }
    await this.bind(claim, pv);
    return true;
  }

  /** The two-sided bind: the PV's claimRef and phase, then the claim's volumeName and status. */
  private async bind(claim: PersistentVolumeClaim, pv: PersistentVolume): Promise<void> {
    const api = this.loop.api;
    const ref = { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata.namespace ?? 'default', name: claim.metadata.name, uid: claim.metadata.uid ?? '' };
    const bound = await retryOnConflict(async (attempt) => {
      const cur = attempt === 0 ? pv : await api.get<PersistentVolume>('persistentvolumes', pv.metadata.name, undefined);
      const next = { ...cur, metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, [BIND_COMPLETED_ANNOTATION]: 'yes' } }, spec: { ...cur.spec, claimRef: ref } };
      return api.update<PersistentVolume>('persistentvolumes', next);
    });
    await api.updateStatus<PersistentVolume>('persistentvolumes', { ...bound, status: { ...bound.status, phase: 'Bound' } });
    const c = await retryOnConflict(async (attempt) => {
      const cur = attempt === 0 ? claim : await api.get<PersistentVolumeClaim>('persistentvolumeclaims', claim.metadata.name, claim.metadata.namespace);
      return api.update<PersistentVolumeClaim>('persistentvolumeclaims', {
        ...cur, metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, [BIND_COMPLETED_ANNOTATION]: 'yes' } }, spec: { ...cur.spec, volumeName: pv.metadata.name },
      });
    });
    await api.updateStatus<PersistentVolumeClaim>('persistentvolumeclaims', {
      ...c, status: { ...c.status, phase: 'Bound', accessModes: bound.spec.accessModes ?? [], capacity: { storage: bound.spec.capacity?.storage ?? '0' } },
    });
  }

  /** A bound claim: Lost when its PV is gone; grown when it asks for more than the PV holds. */
  private async syncBoundClaim(claim: PersistentVolumeClaim): Promise<void> {
    const api = this.loop.api;
    const pv = await api.get<PersistentVolume>('persistentvolumes', claim.spec.volumeName ?? '', undefined).catch(notFound<PersistentVolume>);
    if (!pv) {
      if (claim.status?.phase !== 'Lost') {
        await api.updateStatus('persistentvolumeclaims', { ...claim, status: { ...claim.status, phase: 'Lost' } });
        await this.events.record(claim, 'Warning', 'ClaimLost', `Bound claim has lost its PersistentVolume "${claim.spec.volumeName ?? ''}". Data on the volume is lost!`);
      }
      return;
    }
    if (!pv.spec.claimRef?.name) { await this.bind(claim, pv); return; }
    const want = claimRequestBytes(claim);
    if (want > volumeBytes(pv)) { await this.expand(claim, pv); return; }
    const capacity = pv.spec.capacity?.storage ?? '0';
    if (claim.status?.phase !== 'Bound' || String(claim.status.capacity?.storage) !== String(capacity) || (claim.status.conditions ?? []).length > 0) {
      await api.updateStatus('persistentvolumeclaims', { ...claim, status: { phase: 'Bound', accessModes: pv.spec.accessModes ?? [], capacity: { storage: capacity } } });
    }
  }

  private async expand(claim: PersistentVolumeClaim, pv: PersistentVolume): Promise<void> {
    const api = this.loop.api;
    const className = claim.spec.storageClassName ?? '';
    const sc = className ? await api.get<StorageClass>('storageclasses', className, undefined).catch(notFound<StorageClass>) : undefined;
    if (!sc?.allowVolumeExpansion) {
      await this.events.record(claim, 'Warning', 'ExternalExpanding', `cannot grow the volume: storage class "${className}" does not allow volume expansion (allowVolumeExpansion: true)`);
      return;
    }
    const size = claim.spec.resources?.requests?.storage ?? '0';
    // local-path and NFS directories have no fixed size to grow; a CSI volume grows through its driver (S3's expander).
    if (pv.spec.csi) return;
    await api.update<PersistentVolume>('persistentvolumes', { ...pv, spec: { ...pv.spec, capacity: { storage: size } } });
    await this.events.record(claim, 'Normal', 'VolumeResizeSuccessful', `volume ${pv.metadata.name} grown to ${String(size)}`);
  }

  private async syncVolume(name: string): Promise<void> {
    const api = this.loop.api;
    const pv = await api.get<PersistentVolume>('persistentvolumes', name, undefined).catch(notFound<PersistentVolume>);
    if (!pv) return;
    const ref = pv.spec.claimRef;
    const claim = ref?.name ? await api.get<PersistentVolumeClaim>('persistentvolumeclaims', ref.name, ref.namespace ?? 'default').catch(notFound<PersistentVolumeClaim>) : undefined;
    const phase = volumePhase(pv, claim);
    if (pv.status?.phase === 'Failed') return;
    if (phase === 'Released' && pv.spec.persistentVolumeReclaimPolicy === 'Delete') return this.reclaimDelete(pv);
    if (pv.status?.phase !== phase) {
      await api.updateStatus('persistentvolumes', { ...pv, status: { ...pv.status, phase } });
      if (phase === 'Released') await this.events.record(pv, 'Normal', 'VolumeReleased', `claim ${ref?.namespace ?? 'default'}/${ref?.name ?? ''} is gone; reclaim policy Retain keeps the data (delete the PV, or remove spec.claimRef to make it Available again)`);
    }
  }

  private async reclaimDelete(pv: PersistentVolume): Promise<void> {
    const api = this.loop.api;
    if (pv.status?.phase !== 'Released') await api.updateStatus('persistentvolumes', { ...pv, status: { ...pv.status, phase: 'Released' } });
    const by = pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION];
    const provisioner = by ? this.provisioners.get(by) : undefined;
    if (!provisioner) {
      if (by) return; // an external provisioner deletes its own volumes
      const fresh = await api.get<PersistentVolume>('persistentvolumes', pv.metadata.name, undefined);
      await api.updateStatus('persistentvolumes', { ...fresh, status: { phase: 'Failed', message: 'no volume plugin can delete this statically made volume: delete its data and the PV by hand' } });
      return;
    }
    if (await provisioner.delete(pv) === 'deleted') await api.delete('persistentvolumes', pv.metadata.name).catch(ignoreErrors('NotFound'));
  }
}

