/**
 * The claims one pod mounts: each resolved to its bound PV and mounted by the first mounter that can
 * (local, nfs, csi); unmounted in the pod's teardown. A claim that is not ready holds the container
 * with a Waiting reason (ClaimWaitError), as does a mounter's error that carries reason and retryInMs.
 */
import type { Pod } from '../../api/pod.js';
import type { ApiClient } from '../../client/types.js';
import type { HookWait } from '../pods/pod-hook.js';
import { isClaimWait, resolveClaim } from './claim-volume.js';
import { apiClaimReader, type ClaimReader } from './claim-cache.js';
import { mounterFor } from './mounters.js';
import type { VolumeMounter, VolumeToMount } from './types.js';

/** How long a container waits before its claim is looked at again. */
const retryInMs = 2000;

/** A container must wait for its volume: reason (CamelCase) and message for its Waiting state. */
export class ClaimWaitError extends Error {
  constructor(readonly reason: string, message: string, readonly retryInMs: number) { super(message); }
}

/** The hook's wait for an error that says to wait (ours, or a mounter's with string reason and number retryInMs). */
export function asWait(e: unknown): HookWait | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { reason, retryInMs: retry, message } = e as { reason?: unknown; retryInMs?: unknown; message?: unknown };
  if (typeof reason !== 'string' || typeof retry !== 'number') return undefined;
  return { retryInMs: retry, waiting: { reason, message: typeof message === 'string' ? message : '' } };
}

/** One pod's claims and what mounted them. */
export class PodClaims {
  private readonly mounted = new Map<string, { v: VolumeToMount; mounter: VolumeMounter; source: string }>();

  private readonly read: ClaimReader;

  /** read: the node's ClaimCache (claim-cache.ts); absent: API reads. */
  constructor(api: ApiClient, private readonly mounters: readonly VolumeMounter[], read?: ClaimReader) {
    this.read = read ?? apiClaimReader(api);
  }

  /** The host path of the claim's volume for this pod (mounted once per pod). */
  async mount(pod: Pod, claim: string, readOnly: boolean): Promise<string> {
    const done = this.mounted.get(claim);
    if (done) return done.source;
    const r = await resolveClaim(this.read, pod, claim, readOnly);
    if (isClaimWait(r)) throw new ClaimWaitError(r.reason, r.message, retryInMs);
    const mounter = mounterFor(this.mounters, r);
    if (!mounter) throw new ClaimWaitError('ContainerCreating', `volume "${r.pvName}" of claim "${claim}": no mounter on this node handles its source`, retryInMs * 5);
    const source = await mounter.mount(r, pod);
    this.mounted.set(claim, { v: r, mounter, source });
    return source;
  }

  /** Let go of every claim this pod mounted. */
  async unmountAll(pod: Pod): Promise<void> {
    for (const [claim, m] of this.mounted) {
      await m.mounter.unmount(m.v, pod);
      this.mounted.delete(claim);
    }
  }
}
