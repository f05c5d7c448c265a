/**
 * The contract between the parts of a node's device support (issue 14): providers find devices
 * (NVIDIA, Ascend, CDI specs, Kubernetes device plugins over gRPC), the node's DeviceRegistry merges
 * them, advertises them as extended resources, assigns specific devices to containers, and turns an
 * assignment into ContainerEdits (CDI's shape) that the devices hook applies to the container.
 */
import type { DeviceSpec, MountSpec } from '../../runtime/types.js';

/** One device node to create in a container (CDI's deviceNodes): the runtime's DeviceSpec. */
export type DeviceNodeEdit = DeviceSpec;

/** What a container gets for its devices: CDI's containerEdits, as the runtime applies them. */
export interface ContainerEdits {
  env?: Record<string, string>;
  deviceNodes?: DeviceNodeEdit[];
  /** Driver libraries and tools (read-only binds), or anything a plugin's Allocate asked for. */
  mounts?: MountSpec[];
  /** Docker's --device-cgroup-rule strings ('c 188:* rwm'). */
  deviceCgroupRules?: string[];
  /** OCI annotations a device plugin's Allocate asked for (G3: added, optional). */
  annotations?: Record<string, string>;
}

/** One schedulable device a provider found. */
export interface Device {
  /** The extended resource it is counted under: nvidia.com/gpu, huawei.com/Ascend910, vendor.com/class. */
  resource: string;
  /** Stable id: a GPU's UUID, an NPU's id, a CDI device's name, a plugin's device ID. */
  id: string;
  /** The vendor tool's index (nvidia-smi's), for `--gpus '"device=0,2"'`. */
  index?: number;
  model?: string;
  memoryBytes?: number;
  /** MIG mode, for NVIDIA GPUs that report it. */
  migEnabled?: boolean;
  healthy: boolean;
  /**
   * Devices with the same topology group talk over NVLink or one PCIe switch (nvidia-smi topo -m);
   * the scheduler and the allocator keep one pod's devices in one group where they can.
   */
  topologyGroup?: string;
  /** The vendor tool's last reading (G1 added, optional): what `lcctl gpu ls` and DCGM metrics show. */
  metrics?: DeviceMetrics;
}

/** One reading of a device's use (nvidia-smi --query-gpu, npu-smi info). */
export interface DeviceMetrics {
  /** Busy %, 0-100. */
  utilization?: number;
  memoryUsedBytes?: number;
  powerWatts?: number;
  temperatureC?: number;
}

/** What one provider reports each time it looks. */
export interface ProviderReport {
  devices: Device[];
  /** Node labels it sets (nvidia.com/gpu.product, nvidia.com/gpu.count, gpu.type, ...). */
  labels: Record<string, string>;
}

/** A source of devices on a node, behind one interface across vendors. */
export interface DeviceProvider {
  /** 'nvidia', 'ascend', 'cdi', 'plugin:<resource>'. */
  readonly name: string;
  /** Look now (cheap enough to call every few seconds; health changes show up here). */
  discover(): Promise<ProviderReport>;
  /** The container edits for these devices of this provider, given to one container. */
  edits(devices: Device[], ctx: { podUid: string; container: string }): Promise<ContainerEdits>;
  /**
   * The ids it would rather give (kubelet's GetPreferredAllocation): `size` of `available`, holding
   * every one of `mustInclude`; undefined when it has no preference (G3: added, optional).
   */
  preferred?(available: Device[], mustInclude: Device[], size: number): Promise<string[] | undefined>;
  /** Stop watching (close gRPC streams). */
  close?(): Promise<void>;
}
