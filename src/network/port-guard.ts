import { ApiError } from '../api/errors.js';
import { publishedPorts } from './iptables.js';
import { portInUse, portLabel, portsClash, probeHostPort } from './ports.js';
import type { PodRecord } from './state.js';
import type { PortMapping } from './types.js';

/**
 * Refuses host ports that are taken, as Docker does, before any plugin runs. portmap only writes
 * DNAT rules and holds no socket, so three places are checked: pods of this network (their records),
 * portmap rules of any CNI network on the host (other instances), and a real bind (host processes).
 */
export async function assertPortsFree(ports: PortMapping[], otherPods: PodRecord[], networkName: string): Promise<void> {
  if (ports.length === 0) return;
  for (const p of ports) {
    const pod = otherPods.find((r) => r.ports.some((q) => portsClash(p, q)));
    if (pod) throw portInUse(p, `published by pod "${pod.podId}" on network ${networkName}`);
  }
  const forwarded = await publishedPorts();
  for (const p of ports) {
    const hit = forwarded.find((q) => portsClash(p, q));
    if (hit) throw portInUse(p, `forwarded by CNI network "${hit.network ?? '?'}" for container ${hit.containerId ?? '?'}`);
  }
  for (const p of ports) {
    const bad = await probeHostPort(p);
    if (bad?.inUse) throw portInUse(p, bad.reason);
    if (bad) throw new ApiError('Invalid', `cannot publish port ${portLabel(p)}: ${bad.reason}`);
  }
}
