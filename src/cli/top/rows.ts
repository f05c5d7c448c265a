/** kubectl top's columns, computed from metrics.k8s.io objects (pure, so it is unit-tested). */
import { parseBytes, parseCpuMillis, parseQuantity } from '../../api/quantity.js';

/** Usage as metrics.k8s.io writes it ("12345n", "2048Ki"). */
export interface Usage { cpu: string; memory: string }
/** NodeMetrics, as much as top reads. */
export interface NodeMetrics { metadata: { name: string }; usage: Usage }
/** PodMetrics, as much as top reads. */
export interface PodMetrics { metadata: { name: string; namespace?: string }; containers: { name: string; usage: Usage }[] }

/** Millicores rounded up, as resource.Quantity.MilliValue does: "1m" for any non-zero use below it. */
const millis = (cpu: string): number => Math.ceil((parseQuantity(cpu) ?? 0) * 1000 - 1e-9);
const mebibytes = (memory: string): number => Math.floor((parseBytes(memory) ?? 0) / 2 ** 20);

/** NAME CPU(cores) CPU% MEMORY(bytes) MEMORY% for each node; percentages of allocatable ("<unknown>" without it). */
export function nodeRows(items: NodeMetrics[], allocatable: Map<string, { cpu?: string; memory?: string }>): string[][] {
  return [...items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((n) => {
    const cpu = millis(n.usage.cpu);
    const mem = parseBytes(n.usage.memory) ?? 0;
    const alloc = allocatable.get(n.metadata.name);
    const cpuCap = alloc?.cpu !== undefined ? parseCpuMillis(alloc.cpu) : undefined;
    const memCap = alloc?.memory !== undefined ? parseBytes(alloc.memory) : undefined;
    const pct = (v: number, cap: number | undefined): string => (cap ? `${Math.floor((v * 100) / cap)}%` : '<unknown>');
    return [n.metadata.name, `${cpu}m`, pct(cpu, cpuCap), `${mebibytes(n.usage.memory)}Mi`, pct(mem, memCap)];
  });
}

/** NAME CPU(cores) MEMORY(bytes) per pod (containers summed), with NAMESPACE first when allNamespaces. */
export function podRows(items: PodMetrics[], allNamespaces: boolean): string[][] {
  const key = (p: PodMetrics): string => `${p.metadata.namespace ?? ''}/${p.metadata.name}`;
  return [...items].sort((a, b) => key(a).localeCompare(key(b))).map((p) => {
    const cpu = p.containers.reduce((s, c) => s + millis(c.usage.cpu), 0);
    const mem = p.containers.reduce((s, c) => s + (parseBytes(c.usage.memory) ?? 0), 0);
    const row = [p.metadata.name, `${cpu}m`, `${Math.floor(mem / 2 ** 20)}Mi`];
    return allNamespaces ? [p.metadata.namespace ?? '', ...row] : row;
  });
}
