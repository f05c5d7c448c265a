/** Reading and writing Docker volumes (labelled claims) through the API: create, users, the view inspect shows. */
import type { Pod } from '../../api/pod.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/schema/storage.js';
import type { HttpClient } from '../../client/http-client.js';
import { CliError, isCode } from '../errors.js';
import { DRIVER_ANNOTATION, OPTIONS_ANNOTATION, VOLUME_LABEL, volumeObjects, type VolumeRequest } from './spec.js';

/** Creates the volume's objects; an existing volume of that name is kept as it is (Docker's create is idempotent). */
export async function createVolume(client: HttpClient, req: VolumeRequest): Promise<PersistentVolumeClaim> {
  const { pvc, pv } = volumeObjects(req);
  try {
    return await client.get<PersistentVolumeClaim>('persistentvolumeclaims', req.name, req.namespace);
  } catch (e) {
    if (!isCode(e, 'NotFound')) throw e;
  }
  const driver = req.driver ?? 'local';
  if (driver !== 'local') {
    try { await client.get<StorageClass>('storageclasses', driver); } catch (e) {
      if (!isCode(e, 'NotFound')) throw e;
      throw new CliError(`Error response from daemon: create ${req.name}: error looking up volume plugin ${driver}: no StorageClass "${driver}" (lcctl get storageclass lists them)`);
    }
  }
  if (pv) await client.create<PersistentVolume>('persistentvolumes', pv);
  return client.create<PersistentVolumeClaim>('persistentvolumeclaims', pvc);
}

/** Creates the claims a pod's volumes name when they are missing (`run -v NAME:/path`, as Docker does). */
export async function ensurePodVolumes(client: HttpClient, pod: Pod): Promise<void> {
  const ns = pod.metadata.namespace ?? 'default';
  for (const v of pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim) await createVolume(client, { name: v.persistentVolumeClaim.claimName, namespace: ns });
  }
}

/** The Docker volumes (labelled claims) of a namespace. */
export async function listVolumes(client: HttpClient, namespace: string): Promise<PersistentVolumeClaim[]> {
  return (await client.list<PersistentVolumeClaim>('persistentvolumeclaims', namespace, { labelSelector: `${VOLUME_LABEL}=true` })).items;
}

/** The pods (containers) of the namespace whose volumes name the claim. */
export function volumeUsers(claim: string, pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim));
}

/** The volume's driver: the one given at create, else its class. */
export function driverOf(pvc: PersistentVolumeClaim): string {
  return pvc.metadata.annotations?.[DRIVER_ANNOTATION] ?? pvc.spec.storageClassName ?? 'local';
}

/** Where the data lives, from the bound PV: a node path, an NFS export or a CSI handle. */
function mountpoint(pv: PersistentVolume | undefined): string {
  const s = pv?.spec;
  if (!s) return '';
  if (s.local) return s.local.path;
  if (s.hostPath) return s.hostPath.path;
  if (s.nfs) return `${s.nfs.server}:${s.nfs.path}`;
  if (s.csi) return `csi://${s.csi.driver}/${s.csi.volumeHandle}`;
  return '';
}

/** Docker's `volume inspect` shape, plus Status with the claim's phase and the node a local volume lives on. */
export function inspectView(pvc: PersistentVolumeClaim, pv: PersistentVolume | undefined): Record<string, unknown> {
  let options: unknown = {};
  try { options = JSON.parse(pvc.metadata.annotations?.[OPTIONS_ANNOTATION] ?? '{}'); } catch { /* shown empty */ }
  const labels = { ...pvc.metadata.labels };
  delete labels[VOLUME_LABEL];
  const node = pv?.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0]
    ?? pv?.spec.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values?.[0];
  const shared = (pv?.spec.accessModes ?? pvc.spec.accessModes ?? []).some((m) => m === 'ReadWriteMany' || m === 'ReadOnlyMany');
  return {
    CreatedAt: pvc.metadata.creationTimestamp ?? '',
    Driver: driverOf(pvc),
    Labels: labels,
    Mountpoint: mountpoint(pv),
    Name: pvc.metadata.name,
    Options: options,
    // Docker's scopes: a volume one node holds is local; one every node can mount is global.
    Scope: shared ? 'global' : 'local',
    Status: { Phase: pvc.status?.phase ?? 'Pending', ...(pv ? { Volume: pv.metadata.name } : {}), ...(node ? { Node: node } : {}) },
  };
}
