/**
 * Which free units a container gets (pure): the ones it named (`--gpus '"device=0,2"'`), else the
 * fewest topology groups (GPUs of one NVLink/PCIe switch, best fit: the smallest group that holds the
 * request, so big groups stay whole for big pods), and for time-slicing replicas the least-shared GPUs.
 */
import type { Unit } from './units.js';

/** The outcome: the units, or why not (a user mistake is `fatal`: it will never fit on this node). */
export type Choice = { units: Unit[] } | { error: string; fatal: boolean };

const byIndex = (a: Unit, b: Unit): number => (a.device.index ?? 0) - (b.device.index ?? 0) || a.id.localeCompare(b.id);

/** Pick `count` of `free` (units of one resource); `use` counts how many units of each device are taken already. */
export function chooseUnits(free: readonly Unit[], all: readonly Unit[], count: number, want: string[] | undefined, use: ReadonlyMap<string, number>): Choice {
  if (want) return named(free, all, count, want);
  const healthy = free.filter((u) => u.device.healthy);
  if (healthy.length < count) return { error: `${count} wanted, ${healthy.length} free and healthy on this node`, fatal: false };
  const replicas = healthy.some((u) => u.id !== u.device.id);
  if (replicas) {
    // One unit per GPU first, least shared GPUs first: a pod asking for 2 replicas gets 2 GPUs where it can.
    const perDevice = new Map<string, Unit[]>();
    for (const u of [...healthy].sort(byIndex)) perDevice.set(u.device.id, [...perDevice.get(u.device.id) ?? [], u]);
    const order = [...perDevice.keys()].sort((a, b) => (use.get(a) ?? 0) - (use.get(b) ?? 0));
    const out: Unit[] = [];
    while (out.length < count) for (const d of order) { const u = perDevice.get(d)?.shift(); if (u && out.length < count) out.push(u); }
    return { units: out };
  }
  const groups = new Map<string, Unit[]>();
  for (const u of [...healthy].sort(byIndex)) {
    const g = u.device.topologyGroup ?? '';
    groups.set(g, [...groups.get(g) ?? [], u]);
  }
  const fits = [...groups.values()].filter((g) => g.length >= count).sort((a, b) => a.length - b.length);
  if (fits[0]) return { units: fits[0].slice(0, count) };
  // No one group holds it: take the biggest groups first, so it spans as few as possible.
  const out: Unit[] = [];
  for (const g of [...groups.values()].sort((a, b) => b.length - a.length)) out.push(...g.slice(0, count - out.length));
  return { units: out };
}

function named(free: readonly Unit[], all: readonly Unit[], count: number, want: string[]): Choice {
  const out: Unit[] = [];
  for (const w of want) {
    const match = (u: Unit): boolean => u.device.id === w || u.id === w || String(u.device.index) === w;
    if (!all.some(match)) return { error: `GPU ${w} does not exist on this node (nvidia-smi's index or UUID)`, fatal: true };
    const u = free.find((x) => match(x) && !out.includes(x));
    if (!u) return { error: `GPU ${w} is held by another pod`, fatal: false };
    if (!u.device.healthy) return { error: `GPU ${w} is unhealthy`, fatal: false };
    out.push(u);
  }
  if (out.length !== count) return { error: `the pod names ${want.length} GPUs but its limit asks for ${count}`, fatal: true };
  return { units: out };
}
