/** The rows of `lcctl gpu ls`: each accelerator of each node, from the nodes' lantern.dev/devices annotation. */
import type { Node } from '../../api/node.js';
import { nodeDevices, type NodeDeviceInfo } from '../../api/node-devices.js';

/** The accelerators (GPUs and NPUs), not every CDI device: a device with a vendor index. */
export const isAccelerator = (d: NodeDeviceInfo): boolean => d.resource === 'nvidia.com/gpu' || d.resource.startsWith('huawei.com/Ascend');

/** One accelerator with its node. */
export interface GpuRow extends NodeDeviceInfo { node: string }

/** Every accelerator of these nodes, by node then index. */
export function gpuRows(nodes: readonly Node[]): GpuRow[] {
  return nodes.flatMap((n) => nodeDevices(n).filter(isAccelerator).map((d) => ({ node: n.metadata.name, ...d })))
    .sort((a, b) => a.node.localeCompare(b.node) || a.resource.localeCompare(b.resource) || (a.index ?? 0) - (b.index ?? 0));
}

/** 81920 -> 80GiB, 40536 -> 40536MiB. */
export function mib(v: number | undefined): string {
  if (v === undefined) return '-';
  return v % 1024 === 0 ? `${v / 1024}GiB` : `${v}MiB`;
}

/** The table: NODE INDEX MODEL MEMORY HEALTH POD UTIL (wide: also ID, RESOURCE, TOPOLOGY, MEMORY-USED, POWER, TEMP). */
export function gpuTable(rows: readonly GpuRow[], wide: boolean): { header: string[]; rows: string[][] } {
  const header = ['NODE', 'INDEX', 'MODEL', 'MEMORY', 'HEALTH', 'POD', 'UTIL', ...(wide ? ['ID', 'RESOURCE', 'TOPOLOGY', 'MEMORY-USED', 'POWER', 'TEMP'] : [])];
  return {
    header,
    rows: rows.map((r) => [
      r.node, r.index === undefined ? '-' : String(r.index), r.model ?? '-', mib(r.memoryMiB), r.healthy ? 'Healthy' : 'Unhealthy',
      r.pod ?? '<none>', r.utilization === undefined ? '-' : `${r.utilization}%`,
      ...(wide ? [r.id, r.resource, r.topologyGroup ?? '-', mib(r.memoryUsedMiB), r.powerWatts === undefined ? '-' : `${r.powerWatts}W`, r.temperatureC === undefined ? '-' : `${r.temperatureC}C`] : []),
    ]),
  };
}
