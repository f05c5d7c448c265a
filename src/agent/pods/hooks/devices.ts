/**
 * The devices hook: what a container gets for its devices. The node's device plugins (the
 * DeviceRegistry of agent/devices: GPUs, NPUs, CDI devices, Kubernetes device plugins) assign devices
 * for resources.limits and answer ContainerEdits; the pod's own device annotations (lcctl run
 * --device, --device-cgroup-rule, --gpus capabilities=, cdi.k8s.io/) are added here; the edits go into
 * the plan as env below the container's own, read-only mounts, device nodes and cgroup rules.
 */
import { existsSync } from 'node:fs';
import type { Container, Pod } from '../../../api/pod.js';
import {
  DEVICE_CGROUP_RULES_ANNOTATION, GPU_CAPABILITIES_ANNOTATION, HOST_DEVICES_ANNOTATION,
  parseCgroupRules, parseHostDevices, podCdiNames,
} from '../../../api/device-annotations.js';
import type { ContainerEdits } from '../../devices/types.js';
import { mergeEdits } from '../../devices/edits.js';
import { ContainerConfigError } from '../../container/container-config.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';

/** A plugin's answer for one container: its edits (undefined: it asks for none), or why it must wait. */
export type DeviceAnswer = { edits: ContainerEdits | undefined } | { wait: string };

/** A node's source of devices: assigns to a container, frees with the pod. */
export interface DevicePlugin {
  readonly name: string;
  /** The container's devices; throws DeviceRequestError-like errors for a request that can never fit here. */
  allocate(pod: Pod, container: Container): Promise<DeviceAnswer>;
  /** Free what the pod was given (its containers are gone). */
  release?(pod: Pod): Promise<void>;
  /** The edits of fully-qualified CDI device names (vendor.com/class=name). */
  resolveCdi?(names: string[]): Promise<ContainerEdits>;
}

/** How long a container waiting for a device waits before the next look. */
const DEVICE_RETRY_MS = 2000;

/** The edits the pod's annotations ask for (host devices, cgroup rules, GPU capabilities). */
export function annotationEdits(pod: Pod): ContainerEdits {
  const a = pod.metadata.annotations ?? {};
  const out: ContainerEdits = {};
  try {
    const hd = a[HOST_DEVICES_ANNOTATION];
    if (hd !== undefined) {
      out.deviceNodes = parseHostDevices(hd).map((d) => {
        // Docker's words, so a user who knows --device recognises them.
        if (!existsSync(d.hostPath)) throw new Error(`error gathering device information while adding custom device "${d.hostPath}": no such file or directory`);
        return { path: d.path, hostPath: d.hostPath, permissions: d.permissions };
      });
    }
    const rules = a[DEVICE_CGROUP_RULES_ANNOTATION];
    if (rules !== undefined) out.deviceCgroupRules = parseCgroupRules(rules);
  } catch (e) {
    throw new ContainerConfigError((e as Error).message);
  }
  const caps = a[GPU_CAPABILITIES_ANNOTATION];
  if (caps !== undefined) out.env = { NVIDIA_DRIVER_CAPABILITIES: caps };
  return out;
}

/** The devices hook of one pod, over the node's plugins. */
export class DevicesHook implements PodHook {
  readonly name = 'devices';
  constructor(private readonly plugins: readonly DevicePlugin[]) {}

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    let edits: ContainerEdits = {};
    for (const plugin of this.plugins) {
      let got: DeviceAnswer;
      try { got = await plugin.allocate(run.pod, plan.container); } catch (e) {
        if ((e as Error).name === 'DeviceRequestError' || e instanceof ContainerConfigError) throw new ContainerConfigError((e as Error).message);
        return { retryInMs: DEVICE_RETRY_MS, waiting: { reason: 'ContainerCreating', message: `devices: ${(e as Error).message}` } };
      }
      if ('wait' in got) return { retryInMs: DEVICE_RETRY_MS, waiting: { reason: 'ContainerCreating', message: `waiting for devices: ${got.wait}` } };
      edits = mergeEdits(edits, got.edits);
    }
    const cdi = podCdiNames(run.pod.metadata.annotations);
    if (cdi.length > 0) {
      const resolver = this.plugins.find((p) => p.resolveCdi);
      if (!resolver?.resolveCdi) throw new ContainerConfigError(`CDI devices ${cdi.join(', ')}: this node has no CDI specs to resolve them (lanternd agent --cdi-spec-dirs)`);
      try { edits = mergeEdits(edits, await resolver.resolveCdi(cdi)); } catch (e) { throw new ContainerConfigError(`CDI devices ${cdi.join(', ')}: ${(e as Error).message}`); }
    }
    edits = mergeEdits(edits, annotationEdits(run.pod));
    applyEdits(plan, edits);
    return undefined;
  }

  async poststop(run: PodRun): Promise<void> {
    for (const plugin of this.plugins) await plugin.release?.(run.pod);
  }
}

/** Put edits into the plan; idempotent, since the hook may run again for the same plan. */
export function applyEdits(plan: ContainerPlan, edits: ContainerEdits): void {
  Object.assign(plan.extraEnv, edits.env);
  for (const m of edits.mounts ?? []) {
    if (!plan.extraMounts.some((x) => x.destination === m.destination)) plan.extraMounts.push(m);
  }
  plan.devices = edits.deviceNodes?.map((d) => ({ ...d }));
  plan.deviceCgroupRules = edits.deviceCgroupRules;
}
