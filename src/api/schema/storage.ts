/**
 * Storage kinds (issue 15): PersistentVolume and PersistentVolumeClaim (core v1) and StorageClass
 * (storage.k8s.io/v1), with Kubernetes' field names and shapes.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, StringMap } from './meta.js';
import { LabelSelectorSchema, NodeSelectorTermSchema } from './pod.js';
import { ObjectReferenceSchema } from './event.js';
import { ConditionType, LongMessage, Reason, Time } from './status-shapes.js';

const strict = { additionalProperties: false } as const;
const literals = <T extends string>(...values: T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Quantity = Type.Union([Type.String({ maxLength: 64 }), Type.Number()], { description: 'a quantity such as 1Gi, 500Mi' });

/** The four access modes of Kubernetes. */
export const AccessModeSchema = literals('ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod');
/** What happens to a PV when its claim is gone. Recycle is deprecated in Kubernetes and not served here. */
export const ReclaimPolicySchema = literals('Retain', 'Delete');
const VolumeModeSchema = literals('Filesystem', 'Block');
const MountOptions = Type.Array(Type.String({ maxLength: 256 }), { maxItems: 32 });
const Path = Type.String({ minLength: 1, maxLength: 4096 });

/** A PV source: a directory on the node (hostPath). */
export const HostPathSourceSchema = Type.Object({ path: Path, type: Type.Optional(Type.String({ maxLength: 64 })) }, strict);
/** A PV source: a local disk or directory of one node (needs nodeAffinity). */
export const LocalSourceSchema = Type.Object({ path: Path, fsType: Type.Optional(Type.String({ maxLength: 32 })) }, strict);
/** A PV source: an NFS export. */
export const NfsSourceSchema = Type.Object({ server: Type.String({ minLength: 1, maxLength: 253 }), path: Path, readOnly: Type.Optional(Type.Boolean()) }, strict);
const SecretRef = Type.Object({ name: Type.String({ maxLength: 253 }), namespace: Type.Optional(Type.String({ maxLength: 63 })) }, strict);
/** A PV source: a volume of an external CSI driver. */
export const CsiSourceSchema = Type.Object({
  driver: Type.String({ minLength: 1, maxLength: 63 }),
  volumeHandle: Type.String({ minLength: 1, maxLength: 1024 }),
  readOnly: Type.Optional(Type.Boolean()),
  fsType: Type.Optional(Type.String({ maxLength: 32 })),
  volumeAttributes: Type.Optional(StringMap),
  controllerPublishSecretRef: Type.Optional(SecretRef),
  nodeStageSecretRef: Type.Optional(SecretRef),
  nodePublishSecretRef: Type.Optional(SecretRef),
  controllerExpandSecretRef: Type.Optional(SecretRef),
  nodeExpandSecretRef: Type.Optional(SecretRef),
}, strict);

/** core v1 PersistentVolumeSpec. */
export const PersistentVolumeSpecSchema = Type.Object({
  capacity: Type.Optional(Type.Object({ storage: Quantity }, strict)),
  accessModes: Type.Optional(Type.Array(AccessModeSchema, { maxItems: 4 })),
  persistentVolumeReclaimPolicy: Type.Optional(ReclaimPolicySchema),
  storageClassName: Type.Optional(Type.String({ maxLength: 253 })),
  volumeMode: Type.Optional(VolumeModeSchema),
  claimRef: Type.Optional(ObjectReferenceSchema),
  nodeAffinity: Type.Optional(Type.Object({
    required: Type.Optional(Type.Object({ nodeSelectorTerms: Type.Array(NodeSelectorTermSchema, { minItems: 1, maxItems: 32 }) }, strict)),
  }, strict)),
  mountOptions: Type.Optional(MountOptions),
  hostPath: Type.Optional(HostPathSourceSchema),
  local: Type.Optional(LocalSourceSchema),
  nfs: Type.Optional(NfsSourceSchema),
  csi: Type.Optional(CsiSourceSchema),
}, strict);

/** core v1 PersistentVolumeStatus. */
export const PersistentVolumeStatusSchema = Type.Object({
  phase: Type.Optional(literals('Pending', 'Available', 'Bound', 'Released', 'Failed')),
  message: Type.Optional(LongMessage),
  reason: Type.Optional(Reason),
  lastPhaseTransitionTime: Type.Optional(Time),
}, strict);

/** A piece of storage in the cluster (core v1, cluster-scoped). */
export const PersistentVolumeSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('PersistentVolume'),
  metadata: ObjectMetaSchema,
  spec: PersistentVolumeSpecSchema,
  status: Type.Optional(PersistentVolumeStatusSchema),
}, strict);

/** core v1 PersistentVolumeClaimSpec. */
export const PersistentVolumeClaimSpecSchema = Type.Object({
  accessModes: Type.Optional(Type.Array(AccessModeSchema, { maxItems: 4 })),
  resources: Type.Optional(Type.Object({
    requests: Type.Optional(Type.Object({ storage: Type.Optional(Quantity) }, strict)),
    limits: Type.Optional(Type.Object({ storage: Type.Optional(Quantity) }, strict)),
  }, strict)),
  storageClassName: Type.Optional(Type.String({ maxLength: 253 })),
  volumeName: Type.Optional(Type.String({ maxLength: 253 })),
  selector: Type.Optional(LabelSelectorSchema),
  volumeMode: Type.Optional(VolumeModeSchema),
  dataSource: Type.Optional(Type.Object({ apiGroup: Type.Optional(Type.String()), kind: Type.String(), name: Type.String() }, strict)),
}, strict);

/** One condition of a claim (Resizing, FileSystemResizePending). */
export const ClaimConditionSchema = Type.Object({
  type: ConditionType,
  status: literals('True', 'False', 'Unknown'),
  reason: Type.Optional(Reason),
  message: Type.Optional(LongMessage),
  lastProbeTime: Type.Optional(Time),
  lastTransitionTime: Type.Optional(Time),
}, strict);

/** core v1 PersistentVolumeClaimStatus. */
export const PersistentVolumeClaimStatusSchema = Type.Object({
  phase: Type.Optional(literals('Pending', 'Bound', 'Lost')),
  accessModes: Type.Optional(Type.Array(AccessModeSchema, { maxItems: 4 })),
  capacity: Type.Optional(Type.Object({ storage: Quantity }, strict)),
  conditions: Type.Optional(Type.Array(ClaimConditionSchema, { maxItems: 16 })),
}, strict);

/** A request for storage by a user (core v1, namespaced). */
export const PersistentVolumeClaimSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('PersistentVolumeClaim'),
  metadata: ObjectMetaSchema,
  spec: PersistentVolumeClaimSpecSchema,
  status: Type.Optional(PersistentVolumeClaimStatusSchema),
}, strict);

/** A class of dynamically provisioned storage (storage.k8s.io/v1, cluster-scoped). */
export const StorageClassSchema = Type.Object({
  apiVersion: Type.Literal('storage.k8s.io/v1'),
  kind: Type.Literal('StorageClass'),
  metadata: ObjectMetaSchema,
  provisioner: Type.String({ minLength: 1, maxLength: 253 }),
  parameters: Type.Optional(StringMap),
  reclaimPolicy: Type.Optional(ReclaimPolicySchema),
  volumeBindingMode: Type.Optional(literals('Immediate', 'WaitForFirstConsumer')),
  allowVolumeExpansion: Type.Optional(Type.Boolean()),
  mountOptions: Type.Optional(MountOptions),
  allowedTopologies: Type.Optional(Type.Array(NodeSelectorTermSchema, { maxItems: 32 })),
}, strict);

export type PersistentVolume = Static<typeof PersistentVolumeSchema>;
export type PersistentVolumeSpec = Static<typeof PersistentVolumeSpecSchema>;
export type PersistentVolumeClaim = Static<typeof PersistentVolumeClaimSchema>;
export type PersistentVolumeClaimSpec = Static<typeof PersistentVolumeClaimSpecSchema>;
export type StorageClass = Static<typeof StorageClassSchema>;
export type AccessMode = Static<typeof AccessModeSchema>;
export type ClaimCondition = Static<typeof ClaimConditionSchema>;
