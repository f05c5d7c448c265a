/**
 * The hooks every pod runs, in their declared order: prestart and prestartContainer go down this
 * list, poststop comes back up it. A new concern of running pods (DNS, CSI volumes, devices) is one
 * more hook file in hooks/ and one line here (see docs/architecture.md, "How to add an agent hook").
 */
import type { AgentContext } from '../context.js';
import type { ConfigStore } from '../config/config-cache.js';
import type { GangPeers } from '../gang/gang-peers.js';
import type { PodHook, PodRun } from './pod-hook.js';
import { NetworkHook } from './hooks/network.js';
import { UserNetworksHook } from './hooks/user-networks.js';
import { VolumesHook } from './hooks/volumes.js';
import { nodeMounters } from '../volumes/mounters.js';
import type { VolumeMounter } from '../volumes/types.js';
import { ImageHook } from './hooks/image.js';
import { ImagePolicyHook } from './hooks/image-policy.js';
import { DevicesHook, type DevicePlugin } from './hooks/devices.js';
import { ConfigHook } from './hooks/config.js';
import { ServiceAccountTokenHook } from './hooks/service-account-token.js';
import { GangHook } from './hooks/gang.js';
import { DnsHook } from './hooks/dns.js';
import { ProbesHook } from './hooks/probes.js';
import { StatusHook } from './hooks/status.js';
import { RuntimeClassHook, runtimeClassCache } from './hooks/runtime-class.js';

/** What the hooks of every pod share: the node's parts and its watched caches. */
export interface HookKit {
  ctx: AgentContext;
  /** The ConfigMaps and Secrets the node's pods reference. */
  config: ConfigStore;
  /** The peers of the node's gang members. */
  gang: GangPeers;
  /** The node's device plugins (its DeviceRegistry). */
  devices: readonly DevicePlugin[];
  /** Volume mounters beyond the built-in ones (a CSI node's), tried after them. */
  volumeMounters?: readonly VolumeMounter[];
}

/** The hooks of one pod, in order. */
export function podHooks(kit: HookKit, run: PodRun): PodHook[] {
  const { ctx } = kit;
  return [
    new NetworkHook(ctx.network, ctx.trace),
    new UserNetworksHook(ctx.api, ctx.userNetworks, ctx.dns?.userNames),
    new VolumesHook(ctx.volumes, ctx.api, nodeMounters(kit.volumeMounters, ctx.volumes), ctx.claims),
    new RuntimeClassHook(runtimeClassCache(ctx.api), ctx.runtime.handlerNames?.() ?? [ctx.runtime.name]),
    new ImageHook(ctx, kit.config),
    new ImagePolicyHook(ctx),
    new DevicesHook(kit.devices),
    new ConfigHook(kit.config, ctx.volumes.podDir),
    new ServiceAccountTokenHook(ctx.api, ctx.volumes.podDir),
    new GangHook(kit.gang, ctx.api),
    new DnsHook(ctx.dns, ctx.network, ctx.userNetworks),
    new ProbesHook(ctx, run),
    new StatusHook(ctx.api, ctx.hostIP),
  ];
}
