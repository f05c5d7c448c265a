/**
 * NVIDIA GPUs: the device nodes under DEV (/dev/nvidia[0-9]*, nvidiactl, nvidia-uvm, nvidia-uvm-tools,
 * nvidia-modeset) and, per GPU, what `ROOT/usr/bin/nvidia-smi --query-gpu` and `topo -m` say. A GPU
 * whose row is an error, that vanished from the query, or whose device node is gone is unhealthy.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerEdits, Device, DeviceNodeEdit, DeviceProvider, ProviderReport } from '../types.js';
import { gpuQueryArgs, gpuType, parseGpuQuery, parseTopology, topologyGroups, type SmiGpu } from './nvidia-smi.js';
import { executable, runTool } from './run-tool.js';

/** nvidia.com/gpu: the device plugin's resource name. */
export const nvidiaGpuResource = 'nvidia.com/gpu';

/** Where the driver is. */
export interface NvidiaOptions {
  /** --nvidia-driver-root (default /): nvidia-smi is ROOT/usr/bin/nvidia-smi. */
  driverRoot: string;
  /** Where the device nodes are (default ROOT/dev, as the NVIDIA container toolkit's devRoot). */
  devRoot?: string;
  log?: (m: string) => void;
}

/** The control nodes every GPU container gets with its GPUs, when present. */
export const nvidiaControlNodes = ['nvidiactl', 'nvidia-uvm', 'nvidia-uvm-tools', 'nvidia-modeset'];

/** The NVIDIA provider (one per node). */
export class NvidiaProvider implements DeviceProvider {
  readonly name = 'nvidia';
  private readonly devRoot: string;
  private readonly smi: string;
  /** GPUs seen before, by UUID: one that vanishes from nvidia-smi stays listed, unhealthy. */
  private readonly seen = new Map<string, Device>();

  constructor(private readonly opts: NvidiaOptions) {
    this.devRoot = opts.devRoot ?? path.join(opts.driverRoot, 'dev');
    this.smi = path.join(opts.driverRoot, 'usr/bin/nvidia-smi');
  }

  /** The indexes of /dev/nvidiaN present now. */
  async deviceNodes(): Promise<Set<number>> {
    const names = await readdir(this.devRoot).catch(() => [] as string[]);
    return new Set(names.map((n) => /^nvidia([0-9]+)$/.exec(n)?.[1]).filter((n): n is string => n !== undefined).map(Number));
  }

  async discover(): Promise<ProviderReport> {
    const nodes = await this.deviceNodes();
    if (nodes.size === 0 && this.seen.size === 0) return { devices: [], labels: {} };
    if (!(await executable(this.smi))) {
      this.opts.log?.(`nvidia: ${nodes.size} device node(s) under ${this.devRoot} but no ${this.smi}: install the driver (lcctl gpu install-driver)`);
      return { devices: [], labels: {} };
    }
    let gpus: SmiGpu[] = [];
    try {
      gpus = parseGpuQuery(await runTool(this.smi, gpuQueryArgs)).gpus;
    } catch (e) {
      this.opts.log?.(`nvidia: ${String(e)}`); // every GPU seen before turns unhealthy below
    }
    const groups = await this.groups(gpus);
    const now = new Map<string, Device>();
    for (const g of gpus) {
      const healthy = g.error === undefined && nodes.has(g.index);
      // A GPU in a bad state may print an error in place of its UUID: keep the id it had.
      const id = g.uuid.startsWith('[') ? [...this.seen.values()].find((d) => d.index === g.index)?.id ?? `nvidia${g.index}` : g.uuid;
      now.set(id, {
        resource: nvidiaGpuResource, id, index: g.index, model: g.name, healthy,
        ...(g.memoryMiB !== undefined ? { memoryBytes: g.memoryMiB * 2 ** 20 } : {}),
        ...(g.migEnabled !== undefined ? { migEnabled: g.migEnabled } : {}),
        ...(groups.has(g.index) ? { topologyGroup: groups.get(g.index) } : {}),
        metrics: {
          ...(g.utilization !== undefined ? { utilization: g.utilization } : {}),
          ...(g.memoryUsedMiB !== undefined ? { memoryUsedBytes: g.memoryUsedMiB * 2 ** 20 } : {}),
          ...(g.powerWatts !== undefined ? { powerWatts: g.powerWatts } : {}),
          ...(g.temperatureC !== undefined ? { temperatureC: g.temperatureC } : {}),
        },
      });
    }
    for (const [uuid, before] of this.seen) {
      if (!now.has(uuid)) now.set(uuid, { ...before, healthy: false, metrics: {} });
    }
    for (const [uuid, d] of now) this.seen.set(uuid, d);
    const devices = [...now.values()].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return { devices, labels: nvidiaLabels(devices) };
  }

  /** `topo -m` is slow on big machines and changes only with the set of GPUs: asked again only then. */
  private topo: { key: string; groups: Map<number, string> } | undefined;

  private async groups(gpus: SmiGpu[]): Promise<Map<number, string>> {
    const key = gpus.map((g) => `${g.index}=${g.uuid}`).join(',');
    if (this.topo?.key === key) return this.topo.groups;
    let groups = new Map<number, string>();
    try { groups = topologyGroups(parseTopology(await runTool(this.smi, ['topo', '-m']))); } catch { /* no topology: no groups */ }
    this.topo = { key, groups };
    return groups;
  }

  /** The GPUs' device nodes plus the control nodes, and the variables the CUDA runtime reads. */
  async edits(devices: Device[]): Promise<ContainerEdits> {
    const present = new Set(await readdir(this.devRoot).catch(() => [] as string[]));
    const node = (name: string): DeviceNodeEdit => ({ path: `/dev/${name}`, hostPath: path.join(this.devRoot, name), permissions: 'rw' });
    const deviceNodes = devices.filter((d) => d.index !== undefined).map((d) => node(`nvidia${d.index}`));
    for (const c of nvidiaControlNodes) if (present.has(c)) deviceNodes.push(node(c));
    for (const n of deviceNodes) {
      const st = await stat(n.hostPath ?? n.path).catch(() => undefined);
      if (st?.isCharacterDevice()) Object.assign(n, { type: 'c', major: Math.floor(st.rdev / 256) & 0xfff, minor: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) });
    }
    const ids = devices.map((d) => d.id).join(',');
    return {
      env: { NVIDIA_VISIBLE_DEVICES: ids, CUDA_VISIBLE_DEVICES: devices.map((_, i) => String(i)).join(','), NVIDIA_DRIVER_CAPABILITIES: 'compute,utility' },
      deviceNodes,
    };
  }
}

/** NVIDIA GPU feature discovery's labels, from the healthy GPUs (the first model when mixed), plus gpu.type. */
export function nvidiaLabels(devices: Device[]): Record<string, string> {
  const first = devices.find((d) => d.healthy) ?? devices[0];
  if (!first) return {};
  const product = (first.model ?? 'unknown').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63);
  const type = gpuType(first.model ?? '');
  return {
    'nvidia.com/gpu.product': product,
    'nvidia.com/gpu.count': String(devices.length),
    ...(first.memoryBytes !== undefined ? { 'nvidia.com/gpu.memory': String(Math.round(first.memoryBytes / 2 ** 20)) } : {}),
    ...(type ? { 'gpu.type': type } : {}),
  };
}
