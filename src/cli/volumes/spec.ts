/**
 * Docker's named volumes as Kubernetes objects: a volume is a PersistentVolumeClaim labelled
 * lantern.dev/volume=true in the namespace. Driver `local` uses the default StorageClass (local-path:
 * the volume lives on the node of the first container that uses it); `local` with `-o type=nfs` is a
 * static nfs PV pre-bound to the claim, as Docker's local driver mounts an NFS export; any other
 * driver names a StorageClass.
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/schema/storage.js';
import { UsageError } from '../errors.js';

/** The label that marks a claim as a Docker volume (what `volume ls` lists). */
export const VOLUME_LABEL = 'lantern.dev/volume';
/** The volume's driver as the user named it. */
export const DRIVER_ANNOTATION = 'volume.lantern.dev/driver';
/** The driver options (-o) as JSON, shown by `volume inspect`. */
export const OPTIONS_ANNOTATION = 'volume.lantern.dev/options';
/** The static PV made for `-o type=nfs` (removed with the volume; its data is kept on the server). */
export const STATIC_PV_ANNOTATION = 'volume.lantern.dev/static-pv';

/** What `volume create` (or `run -v` of a missing volume) was given. */
export interface VolumeRequest { name: string; namespace: string; driver?: string; opts?: string[]; labels?: string[] }

/** The claim, and for `-o type=nfs` its pre-bound PV. */
export interface VolumeObjects { pvc: PersistentVolumeClaim; pv?: PersistentVolume }

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** KEY=VALUE pairs of repeated flags; throws naming the flag and the bad value. */
export function keyValues(flag: string, items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid argument "${item}" for "${flag}" flag: expected KEY=VALUE`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Docker's `-o o=addr=HOST,rw,port=N`: the server and the mount options left. */
function nfsMountOptions(o: string | undefined, device: string): { server: string; options: string[] } {
  let server = '';
  const options: string[] = [];
  for (const part of (o ?? '').split(',').filter((x) => x !== '')) {
    if (part.startsWith('addr=')) server = part.slice(5);
    else options.push(part);
  }
  const colon = device.indexOf(':');
  if (server === '' && colon > 0) server = device.slice(0, colon);
  if (server === '') throw new UsageError('-o type=nfs needs the server: -o o=addr=HOST[,OPTIONS] (or -o device=HOST:/export)');
  return { server, options };
}

/** The objects of a new volume; throws a usage error naming the bad option. */
export function volumeObjects(req: VolumeRequest): VolumeObjects {
  if (!NAME.test(req.name)) {
    throw new UsageError(`invalid volume name "${req.name}": a volume is a PersistentVolumeClaim here, so its name must be lower-case letters, digits, '-' or '.', starting and ending with a letter or digit`);
  }
  const driver = req.driver ?? 'local';
  const opts = keyValues('-o, --opt', req.opts ?? []);
  const labels = { ...keyValues('--label', req.labels ?? []), [VOLUME_LABEL]: 'true' };
  const size = opts.size ?? '1Gi';
  if (!/^\d+(\.\d+)?([KMGTPE]i?|[kMGTPE])?$/.test(size)) throw new UsageError(`invalid -o size=${size}: expected a quantity such as 10Gi`);
  const annotations: Record<string, string> = { [DRIVER_ANNOTATION]: driver, [OPTIONS_ANNOTATION]: JSON.stringify(opts) };
  const pvc: PersistentVolumeClaim = {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name: req.name, namespace: req.namespace, labels, annotations },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
  };
  const type = opts.type;
  if (driver !== 'local') {
    if (type !== undefined) throw new UsageError(`-o type=${type} is an option of the local driver; driver "${driver}" is a StorageClass and takes -o size=SIZE only`);
    pvc.spec.storageClassName = driver;
    return { pvc };
  }
  if (type === undefined) return { pvc };
  if (type !== 'nfs' && type !== 'nfs4') throw new UsageError(`-o type=${type} is not supported by the local driver here: use type=nfs, or -v /host/path:/ctr for a bind mount`);
  const device = opts.device ?? '';
  const colon = device.indexOf(':');
  const path = colon >= 0 ? device.slice(colon + 1) : device;
  if (!path.startsWith('/')) throw new UsageError(`-o device=${device}: expected :/export/path (the export on the NFS server)`);
  const { server, options } = nfsMountOptions(opts.o, device);
  if (type === 'nfs4' && !options.some((x) => x.startsWith('nfsvers=') || x.startsWith('vers='))) options.push('nfsvers=4');
  const pvName = `volume-${req.namespace}-${req.name}`.slice(0, 253).replace(/[^a-z0-9.-]/g, '-');
  annotations[STATIC_PV_ANNOTATION] = pvName;
  // An NFS export is shared: ReadWriteMany, and Retain so removing the volume never deletes remote data.
  pvc.spec.accessModes = ['ReadWriteMany'];
  pvc.spec.storageClassName = '';
  pvc.spec.volumeName = pvName;
  const pv: PersistentVolume = {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: { name: pvName, labels: { [VOLUME_LABEL]: 'true' } },
    spec: {
      capacity: { storage: size }, accessModes: ['ReadWriteMany'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: '',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: req.namespace, name: req.name },
      nfs: { server, path, ...(options.includes('ro') ? { readOnly: true } : {}) },
      ...(options.filter((x) => x !== 'ro' && x !== 'rw').length > 0 ? { mountOptions: options.filter((x) => x !== 'ro' && x !== 'rw') } : {}),
    },
  };
  return { pvc, pv };
}
