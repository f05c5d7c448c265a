/**
 * The rules of the storage kinds: PersistentVolume and PersistentVolumeClaim (core v1) and
 * StorageClass (storage.k8s.io/v1), after Kubernetes' validation (one source per PV, a size that
 * reads, a claim's spec immutable but for a bigger request, a class's provisioner immutable).
 */
import type { KindInfo } from './kind.js';
import { persistentVolumeClaimModule, persistentVolumeModule } from './modules/core.js';
import { storageClassModule } from './modules/storage.js';
import {
  PersistentVolumeClaimSchema, PersistentVolumeSchema, StorageClassSchema,
  type PersistentVolume, type PersistentVolumeClaim, type StorageClass,
} from '../schema/storage.js';
import type { FieldCause } from '../errors.js';
import { parseBytes } from '../quantity.js';
import { withRules } from './with-rules.js';

const SOURCES = ['hostPath', 'local', 'nfs', 'csi'] as const;

function checkSize(q: string | number | undefined, field: string, out: FieldCause[]): void {
  if (q === undefined) { out.push({ field, message: 'required: a size such as 1Gi' }); return; }
  const n = parseBytes(q);
  if (n === undefined || n <= 0) out.push({ field, message: `must be a positive quantity such as 10Gi or 500Mi, got "${String(q)}"` });
}

function checkModes(modes: readonly string[] | undefined, field: string, out: FieldCause[]): void {
  if (!modes || modes.length === 0) { out.push({ field, message: 'at least one access mode is required (ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod)' }); return; }
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) out.push({ field, message: 'ReadWriteOncePod may not be combined with other access modes' });
}

/** The PersistentVolume kind (core v1, cluster-scoped). */
export const persistentVolumeKind: KindInfo<PersistentVolume> = withRules(persistentVolumeModule, {
  schema: PersistentVolumeSchema,
  check(pv) {
    const out: FieldCause[] = [];
    checkSize(pv.spec.capacity?.storage, 'spec.capacity.storage', out);
    checkModes(pv.spec.accessModes, 'spec.accessModes', out);
    const sources = SOURCES.filter((s) => pv.spec[s] !== undefined);
    if (sources.length !== 1) out.push({ field: 'spec', message: `exactly one volume source is required (one of ${SOURCES.join(', ')}), got ${sources.length === 0 ? 'none' : sources.join(', ')}` });
    if (pv.spec.local && !pv.spec.nodeAffinity?.required) out.push({ field: 'spec.nodeAffinity', message: 'required for a local volume: the node(s) the disk is on' });
    for (const s of ['hostPath', 'local'] as const) {
      const p = pv.spec[s]?.path;
      if (p !== undefined && (!p.startsWith('/') || p.split('/').includes('..'))) out.push({ field: `spec.${s}.path`, message: `must be an absolute path without "..", got "${p}"` });
    }
    return out;
  },
  applyDefaults(pv) {
    pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    pv.spec.volumeMode ??= 'Filesystem';
  },
  validateUpdate(oldObj, newObj) {
    const out: FieldCause[] = [];
    for (const s of SOURCES) {
      if (JSON.stringify(oldObj.spec[s]) !== JSON.stringify(newObj.spec[s])) out.push({ field: `spec.${s}`, message: 'field is immutable: the source of a volume cannot change' });
    }
    if (oldObj.spec.nodeAffinity && JSON.stringify(oldObj.spec.nodeAffinity) !== JSON.stringify(newObj.spec.nodeAffinity)) out.push({ field: 'spec.nodeAffinity', message: 'field is immutable once set' });
    if (oldObj.spec.volumeMode !== newObj.spec.volumeMode) out.push({ field: 'spec.volumeMode', message: 'field is immutable' });
    return out;
  },
});

/** The PersistentVolumeClaim kind (core v1, namespaced). */
export const persistentVolumeClaimKind: KindInfo<PersistentVolumeClaim> = withRules(persistentVolumeClaimModule, {
  schema: PersistentVolumeClaimSchema,
  check(c) {
    const out: FieldCause[] = [];
    checkModes(c.spec.accessModes, 'spec.accessModes', out);
    checkSize(c.spec.resources?.requests?.storage, 'spec.resources.requests.storage', out);
    return out;
  },
  applyDefaults(c) { c.spec.volumeMode ??= 'Filesystem'; },
  validateUpdate(oldObj, newObj) {
    const out: FieldCause[] = [];
    // As Kubernetes: the spec is fixed at creation, except that the binder fills in volumeName and the
    // default class once, and a user may ask for more storage (never less).
    const strip = (c: PersistentVolumeClaim): unknown => ({ ...c.spec, resources: undefined, volumeName: undefined, storageClassName: undefined });
    if (JSON.stringify(strip(oldObj)) !== JSON.stringify(strip(newObj))) out.push({ field: 'spec', message: 'spec is immutable after creation except resources.requests.storage (to grow the volume)' });
    if (oldObj.spec.volumeName && oldObj.spec.volumeName !== newObj.spec.volumeName) out.push({ field: 'spec.volumeName', message: `field is immutable once bound (bound to "${oldObj.spec.volumeName}")` });
    if (oldObj.spec.storageClassName !== undefined && oldObj.spec.storageClassName !== newObj.spec.storageClassName) out.push({ field: 'spec.storageClassName', message: 'field is immutable' });
    const before = parseBytes(oldObj.spec.resources?.requests?.storage ?? 0) ?? 0;
    const after = parseBytes(newObj.spec.resources?.requests?.storage ?? 0) ?? 0;
    if (after < before) out.push({ field: 'spec.resources.requests.storage', message: `field can not be less than its previous value (${String(oldObj.spec.resources?.requests?.storage)}): volumes only grow` });
    return out;
  },
});

/** The StorageClass kind (storage.k8s.io/v1, cluster-scoped). */
export const storageClassKind: KindInfo<StorageClass> = withRules(storageClassModule, {
  schema: StorageClassSchema,
  applyDefaults(sc) {
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  },
  validateUpdate(oldObj, newObj) {
    const out: FieldCause[] = [];
    for (const f of ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'] as const) {
      if (JSON.stringify(oldObj[f]) !== JSON.stringify(newObj[f])) out.push({ field: f, message: 'field is immutable: create a new class instead' });
    }
    return out;
  },
});
