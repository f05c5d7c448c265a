/**
 * The devices hook: what device plugins give a container (a GPU's device files, driver libraries and
 * variables such as NVIDIA_VISIBLE_DEVICES). No plugin exists yet: the GPU and device work plugs its
 * plugins in here (AgentOptions.devices), and the hook stays empty until then.
 */
import type { Container, Pod } from '../../../api/pod.js';
import type { MountSpec } from '../../../runtime/types.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';

/** What a device plugin gives one container. */
export interface DeviceAllocation {
  /** Variables below the container's own env. */
  env?: Record<string, string>;
  /** Mounts (device files, libraries) no volumeMount names. */
  mounts?: MountSpec[];
}

/** A node's source of devices (one per device kind): allocates to a container, frees with the pod. */
export interface DevicePlugin {
  readonly name: string;
  /** The container's share of this plugin's devices; undefined when it asks for none. Throws to hold it back. */
  allocate(pod: Pod, container: Container): Promise<DeviceAllocation | undefined>;
  /** Free what the pod was given (its containers are gone). */
  release?(pod: Pod): Promise<void>;
}

/** The devices hook of one pod, over the node's plugins (none today). */
export class DevicesHook implements PodHook {
  readonly name = 'devices';
  constructor(private readonly plugins: readonly DevicePlugin[]) {}

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    for (const plugin of this.plugins) {
      const got = await plugin.allocate(run.pod, plan.container);
      Object.assign(plan.extraEnv, got?.env);
      plan.extraMounts.push(...got?.mounts ?? []);
    }
    return undefined;
  }

  async poststop(run: PodRun): Promise<void> {
    for (const plugin of this.plugins) await plugin.release?.(run.pod);
  }
}
