/**
 * The user-networks hook: attaches the pod to the user-defined Networks its annotations name (the
 * primary one as eth0 with the pod IP, `lcctl run --network NAME`; extras as net1... after Multus'
 * `k8s.v1.cni.cncf.io/networks`), once the default network hook has made the namespace. Level-
 * triggered: a network added to or removed from the annotations (lcctl network connect/disconnect) is
 * attached or detached on the next sync; everything is detached before the namespace goes.
 */
import { ApiError } from '../../../api/errors.js';
import type { Network } from '../../../api/schema/network.js';
import { podAttachments, type PodAttachment } from '../../../api/user-networks.js';
import type { ApiClient } from '../../../client/types.js';
import type { UserNetworks } from '../../../network/user/user-networks.js';
import type { HookResult, PodHook, PodRun } from '../pod-hook.js';
import { usesHostNetwork } from './network.js';

/** Where a pod's addresses on user networks are told (agent/dns/user-names.ts UserNetworkRecords). */
export interface AddressSink {
  setLocal(uid: string, network: string, ip: string | undefined): void;
  clearLocal(uid: string): void;
}

/** The user-networks hook of one pod. */
export class UserNetworksHook implements PodHook {
  readonly name = 'user-networks';
  /** Networks attached by this hook (or found attached after a restart). */
  private readonly attached = new Set<string>();

  /** addresses: told each address the pod gets (or loses: undefined) on a network, for the node DNS's container names. */
  constructor(private readonly api: ApiClient, private readonly nets: UserNetworks | undefined, private readonly addresses?: AddressSink) {}

  async prestart(run: PodRun): Promise<HookResult> {
    const want = podAttachments(run.pod);
    if (!want.ok) return this.hold(run, 'InvalidNetworkAnnotation', want.error);
    if (want.attachments.length === 0 && this.attached.size === 0) return undefined;
    if (usesHostNetwork(run.pod)) return this.hold(run, 'InvalidNetworkAnnotation', 'a pod on the host network cannot join user networks: drop hostNetwork or the network annotations');
    if (!this.nets) return this.hold(run, 'NetworkNotReady', 'this node has no user-network support configured');
    if (run.net.ready === undefined || !(await run.net.ready) || !run.net.netns) return undefined; // the network hook says why
    for (const a of want.attachments) {
      if (this.attached.has(a.network)) continue;
      try {
        await this.attach(run, a, run.net.netns);
      } catch (e) {
        return this.hold(run, 'NetworkAttachFailed', `network ${a.network}: ${(e as Error).message}`);
      }
    }
    const wanted = new Set(want.attachments.map((a) => a.network));
    for (const n of [...this.attached].filter((x) => !wanted.has(x))) {
      await this.nets.detach(run.uid, n);
      this.attached.delete(n);
      this.addresses?.setLocal(run.uid, n, undefined);
    }
    return undefined;
  }

  private async attach(run: PodRun, a: PodAttachment, netnsPath: string): Promise<void> {
    let network: Network;
    try {
      network = await this.api.get<Network>('networks', a.network);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NotFound') throw new Error(`no such network; create it with lcctl network create ${a.network}`);
      throw e;
    }
    const got = await this.nets!.attach({ podId: run.uid, netnsPath, network, ifName: a.ifName, ip: a.ip, params: a.params });
    this.attached.add(a.network);
    if (got.ip !== undefined) this.addresses?.setLocal(run.uid, a.network, got.ip);
    if (a.ifName === 'eth0' && got.ip !== undefined) run.net.ip = got.ip;
    run.log(`pod ${run.pod.metadata.name}: attached to network ${a.network} as ${a.ifName}${got.ip ? ` (${got.ip})` : ''}`);
  }

  private hold(run: PodRun, reason: string, message: string): HookResult {
    const waiting = { reason, message };
    for (const c of run.pod.spec.containers) {
      const slot = run.slotFor(c.name);
      if (!slot.current) slot.waiting = waiting;
    }
    return { retryInMs: 10_000, waiting };
  }

  async poststop(run: PodRun): Promise<void> {
    if (!this.nets) return;
    await this.nets.detach(run.uid).catch((e: unknown) => run.log(`pod ${run.pod.metadata.name}: user network teardown: ${String(e)}`));
    this.attached.clear();
    this.addresses?.clearLocal(run.uid);
  }
}
