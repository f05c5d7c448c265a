/**
 * Kubernetes' external-provisioner and external-resizer, run by the agent of the node where a CSI
 * driver's controller service registered (no sidecar containers): a claim the binder marked with
 * volume.kubernetes.io/storage-provisioner = a driver here gets CreateVolume and a PV with spec.csi
 * and the driver's topology as nodeAffinity (the binder then binds it); a released PV of Delete
 * policy provisioned by such a driver gets DeleteVolume, then the PV goes; a bound claim asking for
 * more than its PV gets ControllerExpandVolume, NodeExpandVolume where published here, and the PV's
 * new capacity (the binder copies it to the claim's status).
 */
import type { Node } from '../../api/node.js';
import {
  PROVISIONED_BY_ANNOTATION, SELECTED_NODE_ANNOTATION, STORAGE_PROVISIONER_ANNOTATION, claimRequestBytes, volumeBytes,
  type PersistentVolume, type PersistentVolumeClaim, type StorageClass,
} from '../../api/storage.js';
import { Controller, type ControllerInputs, onEachChange } from '../../client/kit/controller.js';
import { EventRecorder } from '../../client/kit/events.js';
import { ignoreErrors, isApiError } from '../../client/kit/errors.js';
import { keyOf, splitKey } from '../../client/kit/keys.js';
import type { CsiMounter } from '../volumes/csi-mounter.js';
import { capabilityOf } from '../volumes/csi-mounter.js';
import type { CsiDrivers, RegisteredDriver } from './drivers.js';
import { bytesQuantity } from './quantity.js';
import { readSecretData } from './secrets.js';
import { DELETION_SECRET_NAME_ANNOTATION, DELETION_SECRET_NAMESPACE_ANNOTATION, PV_SECRET_FIELDS, classSecretRef, type SecretRef } from '../../api/csi.js';
import type { CsiVolume, Topology } from './types.js';

/** Options of the node's CSI provisioner. */
export interface CsiProvisionerOptions extends ControllerInputs {
  drivers: CsiDrivers;
  mounter: CsiMounter;
  nodeName: string;
}

/** StorageClass parameters with this prefix are Kubernetes' own (secrets, fstype), not the driver's. */
const reservedParam = 'csi.storage.k8s.io/';

/** The PV's nodeAffinity for the topologies a driver returned (none: anywhere). */
export function nodeAffinityOf(topologies: readonly Topology[]): PersistentVolume['spec']['nodeAffinity'] {
  const terms = topologies.filter((t) => Object.keys(t.segments).length > 0)
    .map((t) => ({ matchExpressions: Object.entries(t.segments).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] })) }));
  return terms.length > 0 ? { required: { nodeSelectorTerms: terms } } : undefined;
}

/** The PV the provisioner writes for a claim and the volume the driver made. */
export function provisionedVolume(claim: PersistentVolumeClaim, sc: StorageClass, driver: string, vol: CsiVolume, pvName: string): PersistentVolume {
  const fsType = sc.parameters?.['csi.storage.k8s.io/fstype'];
  const vars = templateVars(claim, pvName);
  const refs: Record<string, SecretRef> = {};
  for (const [use, field] of Object.entries(PV_SECRET_FIELDS)) {
    const r = classSecretRef(sc.parameters, use as keyof typeof PV_SECRET_FIELDS, vars);
    if (r) refs[field] = r;
  }
  const del = classSecretRef(sc.parameters, 'provisioner', vars);
  const delAnn: Record<string, string> = del ? { [DELETION_SECRET_NAME_ANNOTATION]: del.name, [DELETION_SECRET_NAMESPACE_ANNOTATION]: del.namespace } : {};
  const bytes = Number(vol.capacityBytes) || claimRequestBytes(claim);
  const affinity = nodeAffinityOf(vol.accessibleTopology ?? []);
  return {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: { name: pvName, annotations: { [PROVISIONED_BY_ANNOTATION]: driver, ...delAnn } },
    spec: {
      capacity: { storage: bytesQuantity(bytes) },
      accessModes: claim.spec.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name,
      volumeMode: 'Filesystem',
      ...(sc.mountOptions ? { mountOptions: sc.mountOptions } : {}),
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata.namespace ?? 'default', name: claim.metadata.name, uid: claim.metadata.uid ?? '' },
      ...(affinity ? { nodeAffinity: affinity } : {}),
      csi: { driver, volumeHandle: vol.volumeId, ...refs, ...(fsType ? { fsType } : {}), ...(Object.keys(vol.volumeContext ?? {}).length > 0 ? { volumeAttributes: vol.volumeContext } : {}) },
    },
  };
}

/** external-provisioner's template variables for secret names. */
const templateVars = (claim: PersistentVolumeClaim, pvName: string): Record<string, string> =>
  ({ 'pvc.namespace': claim.metadata.namespace ?? 'default', 'pvc.name': claim.metadata.name, 'pv.name': pvName });

/** The provisioner, deleter and resizer of the CSI drivers whose controller service runs on this node. */
export class CsiProvisioner extends Controller {
  private readonly claims;
  private readonly volumes;
  private readonly classes;
  private readonly events: EventRecorder;

  constructor(private readonly opts: CsiProvisionerOptions) {
    super(opts, { name: 'csi-provisioner', workers: 2 });
    this.claims = this.loop.informer<PersistentVolumeClaim>('persistentvolumeclaims');
    this.volumes = this.loop.informer<PersistentVolume>('persistentvolumes');
    this.classes = this.loop.informer<StorageClass>('storageclasses');
    this.events = new EventRecorder(opts.api, `csi-provisioner/${opts.nodeName}`);
  }

  async start(): Promise<void> {
    this.loop.watch(this.claims, onEachChange((c) => this.loop.queue.add(`c:${keyOf(c)}`)), { resyncMs: 30_000 });
    this.loop.watch(this.volumes, onEachChange((v) => this.loop.queue.add(`v:${keyOf(v)}`)), { resyncMs: 30_000 });
    this.loop.watch(this.classes, { onAdd: () => undefined });
    this.opts.drivers.onChange(() => this.requeueAll());
    await this.loop.start();
  }

  /** A driver came or went: look at everything again. */
  requeueAll(): void {
    for (const c of this.claims.list()) this.loop.queue.add(`c:${keyOf(c)}`);
    for (const v of this.volumes.list()) this.loop.queue.add(`v:${keyOf(v)}`);
  }

  /** A driver registered here with its controller service and this RPC. */
  private controllerDriver(name: string | undefined, rpc: string): RegisteredDriver | undefined {
    const d = name ? this.opts.drivers.get(name) : undefined;
    return d && d.info.pluginCapabilities.includes('CONTROLLER_SERVICE') && d.info.controllerCapabilities.includes(rpc) ? d : undefined;
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith('c:')) return this.syncClaim(key.slice(2));
    if (key.startsWith('v:')) return this.syncVolume(key.slice(2));
  }

  private async syncClaim(key: string): Promise<void> {
    const claim = this.claims.get(key);
    if (!claim || claim.metadata.deletionTimestamp) return;
    if (claim.spec.volumeName) return this.expand(claim);
    const d = this.controllerDriver(claim.metadata.annotations?.[STORAGE_PROVISIONER_ANNOTATION], 'CREATE_DELETE_VOLUME');
    if (!d) return;
    const pvName = `pvc-${claim.metadata.uid ?? `${claim.metadata.namespace ?? 'default'}-${claim.metadata.name}`}`;
    if (this.volumes.get(pvName) || await this.opts.api.get('persistentvolumes', pvName).catch(() => undefined)) return;
    const sc = claim.spec.storageClassName ? this.classes.get(claim.spec.storageClassName) : undefined;
    if (!sc || sc.provisioner !== d.info.name) return;
    const requisite = await this.requisiteFor(claim, d);
    let vol: CsiVolume;
    try {
      vol = await d.client.createVolume({
        name: pvName,
        ...(claimRequestBytes(claim) > 0 ? { capacityRange: { requiredBytes: claimRequestBytes(claim) } } : {}),
        volumeCapabilities: [capabilityOf(sc.parameters?.['csi.storage.k8s.io/fstype'], claim.spec.accessModes, sc.mountOptions ?? [])],
        parameters: Object.fromEntries(Object.entries(sc.parameters ?? {}).filter(([k]) => !k.startsWith(reservedParam))),
        secrets: await readSecretData(this.opts.api, classSecretRef(sc.parameters, 'provisioner', templateVars(claim, pvName)), 'provisioner'),
        ...(requisite ? { accessibilityRequirements: { requisite: [requisite], preferred: [requisite] } } : {}),
      });
    } catch (e) {
      await this.events.record(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${e instanceof Error ? e.message : String(e)}`).catch(() => undefined);
      throw e; // retried with back-off
    }
    const pv = provisionedVolume(claim, sc, d.info.name, vol, pvName);
    try {
      this.volumes.remember(await this.opts.api.create<PersistentVolume>('persistentvolumes', pv));
    } catch (e) {
      if (!isApiError(e, 'AlreadyExists')) throw e;
    }
    await this.events.record(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName} (CSI driver ${d.info.name}, handle ${vol.volumeId})`).catch(() => undefined);
  }

  /** The selected node's topology for a driver that has constraints (WaitForFirstConsumer). */
  private async requisiteFor(claim: PersistentVolumeClaim, d: RegisteredDriver): Promise<Topology | undefined> {
    if (!d.info.pluginCapabilities.includes('VOLUME_ACCESSIBILITY_CONSTRAINTS')) return undefined;
    const selected = claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
    if (!selected) return undefined;
    const node = await this.opts.api.get<Node>('nodes', selected).catch(() => undefined);
    const segments: Record<string, string> = {};
    for (const k of Object.keys(d.info.topology)) { const v = node?.metadata.labels?.[k]; if (v !== undefined) segments[k] = v; }
    return Object.keys(segments).length > 0 ? { segments } : undefined;
  }

  /** ControllerExpandVolume (+ NodeExpandVolume here) for a claim that asks for more than its PV holds. */
  private async expand(claim: PersistentVolumeClaim): Promise<void> {
    const pv = this.volumes.get(claim.spec.volumeName ?? '');
    const csi = pv?.spec.csi;
    if (!pv || !csi) return;
    const want = claimRequestBytes(claim);
    if (want <= volumeBytes(pv)) return;
    const sc = claim.spec.storageClassName ? this.classes.get(claim.spec.storageClassName) : undefined;
    if (!sc?.allowVolumeExpansion) return; // the binder tells the user why
    const d = this.controllerDriver(csi.driver, 'EXPAND_VOLUME');
    if (!d) return;
    const ref = csi.controllerExpandSecretRef;
    const secrets = await readSecretData(this.opts.api, ref ? { name: ref.name, namespace: ref.namespace ?? 'default' } : undefined, 'controller-expand');
    const res = await d.client.controllerExpand({ volumeId: csi.volumeHandle, capacityRange: { requiredBytes: want }, secrets });
    const bytes = Math.max(Number(res.capacityBytes) || want, want);
    const nodeRef = csi.nodeExpandSecretRef;
    if (res.nodeExpansionRequired) await this.opts.mounter.expandPublished(csi.driver, csi.volumeHandle, bytes, nodeRef ? { name: nodeRef.name, namespace: nodeRef.namespace ?? 'default' } : undefined);
    const fresh = await this.opts.api.get<PersistentVolume>('persistentvolumes', pv.metadata.name);
    this.volumes.remember(await this.opts.api.update<PersistentVolume>('persistentvolumes', { ...fresh, spec: { ...fresh.spec, capacity: { storage: bytesQuantity(bytes) } } }));
    await this.events.record(claim, 'Normal', 'VolumeResizeSuccessful', `CSI driver ${csi.driver} grew volume ${pv.metadata.name} to ${bytesQuantity(bytes)}`).catch(() => undefined);
  }

  /** DeleteVolume for a released PV of Delete policy this node's driver provisioned, then the PV. */
  private async syncVolume(key: string): Promise<void> {
    const pv = this.volumes.get(splitKey(key).name);
    if (!pv?.spec.csi || pv.spec.persistentVolumeReclaimPolicy !== 'Delete' || pv.status?.phase !== 'Released') return;
    const by = pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION];
    if (by !== pv.spec.csi.driver) return;
    const d = this.controllerDriver(by, 'CREATE_DELETE_VOLUME');
    if (!d) return;
    const ann = pv.metadata.annotations ?? {};
    const delName = ann[DELETION_SECRET_NAME_ANNOTATION];
    const delNs = ann[DELETION_SECRET_NAMESPACE_ANNOTATION];
    await d.client.deleteVolume(pv.spec.csi.volumeHandle, await readSecretData(this.opts.api, delName && delNs ? { name: delName, namespace: delNs } : undefined, 'provisioner'));
    this.opts.log?.(`csi: deleted volume ${pv.spec.csi.volumeHandle} of released PV ${pv.metadata.name}`);
    await this.opts.api.delete('persistentvolumes', pv.metadata.name).catch(ignoreErrors('NotFound'));
  }
}
