/**
 * The contract between the parts of a node's persistent volumes (issue 15): the volumes hook resolves
 * a pod's persistentVolumeClaim to its bound PersistentVolume and asks the first mounter that can
 * mount that PV's source (hostPath/local, nfs, csi) for the host directory to bind into the
 * containers; on the pod's teardown it asks the same mounter to let go.
 */
import type { Pod } from '../../api/pod.js';

/**
 * A PersistentVolume as the mounters see it (the stored object; typed loosely here so this contract
 * does not depend on the schema file the storage kinds define).
 */
export interface VolumeToMount {
  /** The PV's name. */
  pvName: string;
  /** The PV object (spec.hostPath | spec.local | spec.nfs | spec.csi, accessModes, ...). */
  pv: { metadata: { name: string; uid?: string }; spec: Record<string, unknown> };
  /** The claim's name and namespace. */
  claim: { namespace: string; name: string };
  readOnly: boolean;
}

/** Mounts one kind of PV source on the node. Idempotent: mount and unmount may run again. */
export interface VolumeMounter {
  /** 'local', 'nfs', 'csi'. */
  readonly name: string;
  /** True when this mounter handles this PV's source. */
  canMount(v: VolumeToMount): boolean;
  /** Make the volume available on the host for this pod; answer the host path to bind. Throws with a clear message. */
  mount(v: VolumeToMount, pod: Pod): Promise<string>;
  /** The pod is gone: undo what mount did for it (the last pod of a node-wide mount unmounts it). */
  unmount(v: VolumeToMount, pod: Pod): Promise<void>;
}
