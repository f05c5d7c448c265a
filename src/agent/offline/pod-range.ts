/**
 * The node's pod range as the server last gave it (spec.podCIDR, the cluster range, the MTU), kept on
 * disk so a node that starts cut off from the server can still build its pod network: the range of a
 * Node never changes while it exists.
 */
import { readFile } from 'node:fs/promises';
import { writeAtomic } from './atomic-file.js';

/** What the node's CNI network is made from. */
export interface PodRange { podCIDR: string; mtu: number; clusterCidr: string }

/** Keep the range (best effort: a failure is logged). */
export async function saveRange(file: string, range: PodRange, log: (m: string) => void): Promise<void> {
  await writeAtomic(file, JSON.stringify(range)).catch((e: unknown) => log(`keeping the pod range for offline starts: ${String(e)}`));
}

/** The kept range, or undefined when there is none (never joined a network) or it is not one. */
export async function loadRange(file: string): Promise<PodRange | undefined> {
  try {
    const r = JSON.parse(await readFile(file, 'utf8')) as Partial<PodRange>;
    return typeof r.podCIDR === 'string' && typeof r.clusterCidr === 'string' && typeof r.mtu === 'number' ? { podCIDR: r.podCIDR, mtu: r.mtu, clusterCidr: r.clusterCidr } : undefined;
  } catch {
    return undefined;
  }
}
