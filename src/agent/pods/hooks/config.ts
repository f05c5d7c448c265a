/**
 * The config hook: ConfigMaps and Secrets as the container sees them, read from the node's watched
 * cache (config/config-cache.ts): env values (valueFrom, envFrom) and configMap/secret volume files,
 * (re)written whenever a container instance is created. A change to an object a pod references wakes
 * the pod, so one waiting in CreateContainerConfigError starts as soon as the object appears.
 * Poststop unmounts the Secret tmpfs mounts (rm stops at a busy mount point) and stops following.
 */
import { ConfigSources, resolveEnv } from '../../config/config-sources.js';
import { configMounts } from '../../config/config-mounts.js';
import { unmountSecretVolumes } from '../../config/config-volume.js';
import type { ConfigStore } from '../../config/config-cache.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';

/** The config hook of one pod. */
export class ConfigHook implements PodHook {
  readonly name = 'config';
  constructor(private readonly store: ConfigStore, private readonly podDir: (uid: string) => string) {}

  async prestart(run: PodRun): Promise<HookResult> {
    this.store.track(run.pod, () => run.wake());
    return undefined;
  }

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    const ns = run.pod.metadata.namespace ?? 'default';
    // One read per object per container start, however many env entries and volumes name it.
    const sources = new ConfigSources(this.store, ns);
    plan.env = await resolveEnv(plan.container, sources, ns);
    await configMounts(run.pod, plan.container, this.podDir(run.uid), sources, plan.mounts);
    return undefined;
  }

  async poststop(run: PodRun): Promise<void> {
    this.store.untrack(run.uid);
    await unmountSecretVolumes(this.podDir(run.uid)).catch(() => undefined);
  }
}
