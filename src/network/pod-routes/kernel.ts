/**
 * Reading and writing the pod network's kernel entries with iproute2. Routes carry their own protocol
 * number (`proto 242`), so after an agent restart the programmed routes are found again and nobody
 * else's are touched; neighbour and fdb entries live on the VXLAN device, which is ours alone.
 */
import { runCommand, runTool, toolEnv } from '../exec.js';
import { vxlanDevice, type FdbEntry, type NeighEntry, type RouteEntries, type RouteEntry } from './plan.js';
import type { EntryDiff } from './diff.js';

/** The route protocol number of Lantern's pod routes (any unused number; /etc/iproute2/rt_protos names 0-4, 8-18, 42, 186-193). */
export const routeProto = '242';

const json = async (args: string[], file = 'ip'): Promise<unknown[]> => {
  const r = await runCommand(file, args, { env: toolEnv() });
  if (r.code !== 0) return []; // e.g. the device does not exist (yet): nothing of ours
  const v: unknown = JSON.parse(r.stdout.trim() || '[]');
  return Array.isArray(v) ? v : [];
};

const str = (o: unknown, k: string): string | undefined => {
  const v = (o as Record<string, unknown>)[k];
  return typeof v === 'string' ? v : undefined;
};

/** The routes, neighbours and fdb entries programmed now (the device name only for the VXLAN device). */
export async function readEntries(dev = vxlanDevice.name): Promise<RouteEntries> {
  const routes: RouteEntry[] = [];
  for (const r of await json(['-4', '-j', 'route', 'show', 'proto', routeProto])) {
    const dst = str(r, 'dst');
    const via = str(r, 'gateway');
    if (!dst || !via) continue;
    const onDev = str(r, 'dev') === dev;
    const flags = (r as { flags?: unknown }).flags;
    routes.push({ dst: dst.includes('/') ? dst : `${dst}/32`, via, ...(onDev ? { dev, onlink: Array.isArray(flags) && flags.includes('onlink') } : {}) });
  }
  const neighs: NeighEntry[] = [];
  for (const n of await json(['-4', '-j', 'neigh', 'show', 'dev', dev])) {
    const ip = str(n, 'dst');
    const mac = str(n, 'lladdr');
    if (ip && mac) neighs.push({ ip, mac: mac.toLowerCase(), dev });
  }
  const fdbs: FdbEntry[] = [];
  for (const f of await json(['-j', 'fdb', 'show', 'dev', dev], 'bridge')) {
    const mac = str(f, 'mac');
    const dst = str(f, 'dst');
    if (mac && dst && mac !== '00:00:00:00:00:00') fdbs.push({ mac: mac.toLowerCase(), dst, dev });
  }
  return { routes, neighs, fdbs };
}

/** Apply a diff: fdb, neighbours, then routes for additions (flannel's order); the reverse for removals. */
export async function applyDiff(d: EntryDiff): Promise<void> {
  for (const r of d.remove.routes) await quiet('ip', ['route', 'del', r.dst, 'proto', routeProto]);
  for (const n of d.remove.neighs) await quiet('ip', ['neigh', 'del', n.ip, 'dev', n.dev]);
  for (const f of d.remove.fdbs) await quiet('bridge', ['fdb', 'del', f.mac, 'dev', f.dev, 'dst', f.dst]);
  for (const f of d.add.fdbs) await runTool('bridge', ['fdb', 'replace', f.mac, 'dev', f.dev, 'dst', f.dst, 'self', 'permanent']);
  for (const n of d.add.neighs) await runTool('ip', ['neigh', 'replace', n.ip, 'lladdr', n.mac, 'dev', n.dev, 'nud', 'permanent']);
  for (const r of d.add.routes) {
    await runTool('ip', ['route', 'replace', r.dst, 'via', r.via, ...(r.dev ? ['dev', r.dev] : []), ...(r.onlink ? ['onlink'] : []), 'proto', routeProto]);
  }
}

/** Removes every pod route of ours (proto 242) and the VXLAN device with its entries. */
export async function removeAll(dev = vxlanDevice.name): Promise<void> {
  await quiet('ip', ['route', 'flush', 'proto', routeProto]);
  await quiet('ip', ['link', 'delete', dev]);
}

async function quiet(file: string, args: string[]): Promise<void> {
  await runCommand(file, args, { env: toolEnv() }).catch(() => undefined); // already gone is fine
}
