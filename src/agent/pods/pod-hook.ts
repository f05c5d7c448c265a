/**
 * The hooks a pod runner runs (Nomad's alloc runner hooks are the model): each hook is one concern of
 * running a pod (its network, volumes, image, devices, config, gang, probes, status) and implements
 * only the points it needs. The runner calls them in the declared order (hooks.ts); poststop runs in
 * reverse. Level-triggered like the runner: every point may be called again and must be idempotent.
 */
import type { Container, EnvVar, Pod } from '../../api/pod.js';
import type { ImageRecord } from '../../image/types.js';
import type { DeviceSpec, MountSpec } from '../../runtime/types.js';
import type { ContainerSlot } from '../container-slot.js';

/** A hook holding a pod or a container back: look again in retryInMs (sooner if it wakes the pod). */
export interface HookWait {
  retryInMs: number;
  /** Shown as the container's Waiting state; absent keeps what is there (the hook may have set it). */
  waiting?: { reason: string; message?: string };
}

/** What a hook answers: undefined to go on, or a wait. */
export type HookResult = HookWait | undefined;

/** The pod network as the network hook publishes it to the other hooks. */
export interface PodNet {
  /** The namespace path the containers join ('host' for the host's), once it exists. */
  netns?: string;
  /** The pod IP, once the plugins are done (none for a host-network pod). */
  ip?: string;
  /** Resolves true once the network is up, false when setting it up failed; absent until begun. */
  ready?: Promise<boolean>;
}

/** One pod as its hooks see it: the runner's state they may read, and how they ask for another sync. */
export interface PodRun {
  /** The newest copy of the pod (the status hook replaces it with the answer of its write). */
  pod: Pod;
  readonly uid: string;
  readonly slots: Map<string, ContainerSlot>;
  /** The slot of a container of the pod, made on first use. */
  slotFor(name: string): ContainerSlot;
  readonly net: PodNet;
  /** True once the pod was torn down: no more syncs. */
  readonly terminated: boolean;
  /** Sync again now (several requests collapse into one). */
  wake(): void;
  /** Sync again in ms (the latest call wins). */
  later(ms: number): void;
  log(msg: string): void;
}

/** One container instance being prepared: each prestartContainer hook fills in its part. */
export interface ContainerPlan {
  readonly container: Container;
  readonly slot: ContainerSlot;
  /** The restart count this instance will have. */
  readonly attempt: number;
  /** The image hook's: the resolved image and its layer directories. */
  image?: ImageRecord;
  layers: string[];
  /** The config hook's: the container's env with every valueFrom/envFrom resolved (absent: container.env). */
  env?: EnvVar[];
  /** Variables the container gets below its own env (gang, devices); the container's env still wins. */
  extraEnv: Record<string, string>;
  /** One entry per container.volumeMounts entry, in its order, each filled by the hook that owns its volume kind. */
  mounts: Array<MountSpec | undefined>;
  /** Mounts no volumeMount names (device files, driver libraries). */
  extraMounts: MountSpec[];
  /** The devices hook's: device nodes (GPUs, --device) and extra device cgroup rules. */
  devices?: DeviceSpec[];
  deviceCgroupRules?: string[];
  /** Extra /etc/hosts lines (gang members). */
  extraHosts?: Array<{ ip: string; names: string[] }>;
  /** The dns hook's: /etc/resolv.conf by the pod's dnsPolicy (absent: the host's). */
  dns?: { nameservers: string[]; searches: string[]; options: string[] };
  /** The runtime-class hook's: the OCI runtime handler of the pod's RuntimeClass (absent: the node's default). */
  runtimeHandler?: string;
}

/** One concern of running a pod; every point is optional. */
export interface PodHook {
  /** Named in logs and in the declared order. */
  readonly name: string;
  /** Each sync, before any container is started: the pod-level set-up (the network). */
  prestart?(run: PodRun): Promise<HookResult>;
  /** Before one container instance is created: fill in the plan, or hold the container back. */
  prestartContainer?(run: PodRun, plan: ContainerPlan): Promise<HookResult>;
  /** Each sync, after the containers were seen to: follow the instances (probes), report (status). */
  update?(run: PodRun): Promise<void>;
  /** The pod is being torn down, before its containers are stopped. */
  prekill?(run: PodRun): Promise<void>;
  /** Its containers are stopped and the object still exists (the network frees published ports here). */
  killed?(run: PodRun): Promise<void>;
  /** The containers are removed and the object gone: release what the hook holds (reverse order). */
  poststop?(run: PodRun): Promise<void>;
}
