/** `get pv`, `get pvc`, `get sc`: the storage kinds' tables with kubectl's columns. */
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../schema/storage.js';
import { accessModesText, isDefaultClass } from '../storage.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS REASON AGE [VOLUMEMODE]. */
export const persistentVolumeTable: TableDefinition<PersistentVolume> = {
  columns: [
    nameColumn,
    column<PersistentVolume>('Capacity', (pv) => String(pv.spec.capacity?.storage ?? '')),
    column<PersistentVolume>('Access Modes', (pv) => accessModesText(pv.spec.accessModes)),
    column<PersistentVolume>('Reclaim Policy', (pv) => pv.spec.persistentVolumeReclaimPolicy ?? 'Retain'),
    column<PersistentVolume>('Status', (pv) => (pv.metadata.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? 'Pending')),
    column<PersistentVolume>('Claim', (pv) => (pv.spec.claimRef?.name ? `${pv.spec.claimRef.namespace ?? 'default'}/${pv.spec.claimRef.name}` : '')),
    column<PersistentVolume>('StorageClass', (pv) => pv.spec.storageClassName ?? ''),
    column<PersistentVolume>('Reason', (pv) => pv.status?.reason ?? ''),
    ageColumn,
    column<PersistentVolume>('VolumeMode', (pv) => pv.spec.volumeMode ?? 'Filesystem', 1),
  ],
  labelsColumn: false,
};

/** NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS AGE [VOLUMEMODE]. */
export const persistentVolumeClaimTable: TableDefinition<PersistentVolumeClaim> = {
  columns: [
    nameColumn,
    column<PersistentVolumeClaim>('Status', (c) => (c.metadata.deletionTimestamp ? 'Terminating' : c.status?.phase ?? 'Pending')),
    column<PersistentVolumeClaim>('Volume', (c) => c.spec.volumeName ?? ''),
    column<PersistentVolumeClaim>('Capacity', (c) => String(c.status?.capacity?.storage ?? '')),
    column<PersistentVolumeClaim>('Access Modes', (c) => accessModesText(c.status?.accessModes)),
    column<PersistentVolumeClaim>('StorageClass', (c) => c.spec.storageClassName ?? ''),
    ageColumn,
    column<PersistentVolumeClaim>('VolumeMode', (c) => c.spec.volumeMode ?? 'Filesystem', 1),
  ],
  labelsColumn: false,
};

/** NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; the default is "NAME (default)". */
export const storageClassTable: TableDefinition<StorageClass> = {
  columns: [
    { ...nameColumn, cell: (o) => (isDefaultClass(o as StorageClass) ? `${o.metadata.name} (default)` : o.metadata.name) },
    column<StorageClass>('Provisioner', (sc) => sc.provisioner),
    column<StorageClass>('ReclaimPolicy', (sc) => sc.reclaimPolicy ?? 'Delete'),
    column<StorageClass>('VolumeBindingMode', (sc) => sc.volumeBindingMode ?? 'Immediate'),
    column<StorageClass>('AllowVolumeExpansion', (sc) => String(sc.allowVolumeExpansion ?? false), 0, 'boolean'),
    ageColumn,
  ],
  labelsColumn: false,
};
