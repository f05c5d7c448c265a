/** The node's volume mounters, tried in order (S2 adds nfs, S3's CSI mounter comes through `extra`). */
import { LocalMounter } from './local-mounter.js';
import { nfsMounterFor } from './nfs-mounter.js';
import type { VolumePaths } from '../context.js';
import type { VolumeMounter, VolumeToMount } from './types.js';

/** The built-in mounters, then the extra ones the agent was given (a CSI node, say). */
export function nodeMounters(extra: readonly VolumeMounter[] = [], paths?: VolumePaths): VolumeMounter[] {
  return [new LocalMounter(), ...(paths ? [nfsMounterFor(paths)] : []), ...extra];
}

/** The first mounter that can mount v. */
export function mounterFor(mounters: readonly VolumeMounter[], v: VolumeToMount): VolumeMounter | undefined {
  return mounters.find((m) => m.canMount(v));
}
