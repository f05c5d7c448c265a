/**
 * The gang hook: a gang member's containers start only once every member has an address, with what
 * PyTorch's launcher reads (WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT) and an /etc/hosts line per
 * member. Its peers come from the node's watch of the namespace (gang/gang-peers.ts), which wakes
 * the member when one of them changes; this pod's own IP is published by the status hook.
 */
import type { ApiClient } from '../../../client/types.js';
import type { GangResolution } from '../../gang/gang-members.js';
import type { GangPeers } from '../../gang/gang-peers.js';
import { isGangMember, readGang } from '../../gang/gang-wait.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';
import { usesHostNetwork } from './network.js';

/** A safety net only: changes of the group wake the member at once. */
const recheckMs = 10_000;

/** The gang hook of one pod. */
export class GangHook implements PodHook {
  readonly name = 'gang';
  /** This sync's look at the group, shared by the pod's containers. */
  private look: Promise<GangResolution> | undefined;

  constructor(private readonly peers: GangPeers, private readonly api: Pick<ApiClient, 'get'>) {}

  private applies(run: PodRun): boolean { return isGangMember(run.pod) && !usesHostNetwork(run.pod); }

  async prestart(run: PodRun): Promise<HookResult> {
    this.look = undefined;
    if (this.applies(run)) this.peers.follow(run.pod, () => run.wake());
    return undefined;
  }

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    if (!this.applies(run)) return undefined;
    // Re-read each sync (level-triggered); a wait is a return from sync, never blocking deletion.
    this.look ??= this.resolve(run);
    const gang = await this.look;
    if ('waiting' in gang) {
      return { retryInMs: recheckMs, ...(gang.waiting ? { waiting: { reason: 'WaitingForGang', message: gang.waiting } } : {}) };
    }
    this.peers.setWaiting(run.uid, false);
    Object.assign(plan.extraEnv, gang.config.env);
    plan.extraHosts = gang.config.hosts;
    return undefined;
  }

  private async resolve(run: PodRun): Promise<GangResolution> {
    // Marked before the look, so a peer's change that lands during it still wakes the pod.
    this.peers.setWaiting(run.uid, true);
    if (run.net.ready && !(await run.net.ready)) return { waiting: '' };
    if (!run.net.ip) return { waiting: '' };
    try { return await readGang(this.peers, this.api, run.pod, run.net.ip); } catch (e) { return { waiting: `cannot read the members of the group: ${(e as Error).message}` }; }
  }

  async poststop(run: PodRun): Promise<void> { this.peers.unfollow(run.uid); }
}
