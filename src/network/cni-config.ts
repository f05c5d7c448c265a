import { join } from 'node:path';
import { runTool } from './exec.js';
import { CNI_VERSION, type CniConfList, type CniResult } from './cni-types.js';
import type { ResolvedOptions } from './options.js';
import type { PortMapping } from './types.js';

/**
 * The pod network: bridge (veth into the pod, gateway on the bridge, host-local IPAM
 * with its state under stateDir), and portmap (DNAT for published ports; snat so 127.0.0.1 works)
 * only for pods that publish ports. Forwarding through the bridge is allowed once per bridge
 * (iptables.ts: ensureBridgeForwarding) rather than by the firewall plugin for every pod: the plugin
 * costs ten iptables runs per pod, a third of a pod's start.
 */
export function bridgeList(o: ResolvedOptions, ports: PortMapping[] = []): CniConfList {
  return {
    cniVersion: CNI_VERSION,
    name: o.networkName,
    plugins: [
      {
        type: 'bridge',
        bridge: o.bridge,
        isGateway: true,
        // One masquerade rule for the whole subnet (iptables.ts: ensureBridgeForwarding), as Docker keeps
        // for docker0, instead of a chain per pod: nine iptables runs fewer on every start and stop.
        ipMasq: false,
        hairpinMode: true,
        ...(o.mtu > 0 ? { mtu: o.mtu } : {}),
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: o.subnet }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: join(o.stateDir, 'ipam'),
        },
      },
      ...(ports.length > 0 ? [{ type: 'portmap', capabilities: { portMappings: true }, snat: true }] : []),
    ],
  };
}

/** Brings lo up inside the namespace; used in every mode. */
export function loopbackList(o: ResolvedOptions): CniConfList {
  return { cniVersion: CNI_VERSION, name: `${o.networkName}-lo`, plugins: [{ type: 'loopback' }] };
}

/** The portMappings capability argument portmap expects (CNI CONVENTIONS.md). */
export function portMappingsArg(ports: PortMapping[]): Record<string, unknown>[] {
  return ports.map((p) => ({
    hostPort: p.hostPort,
    containerPort: p.containerPort,
    protocol: p.protocol,
    ...(p.hostIP ? { hostIP: p.hostIP } : {}),
  }));
}

/** The pod's IPv4 address and gateway: the address on the interface inside the pod's namespace. */
export function podAddress(result: CniResult | undefined, netnsPath: string, ifName = 'eth0'): { ip?: string; gateway?: string } {
  const ifaces = result?.interfaces ?? [];
  const ips = (result?.ips ?? []).filter((c) => !c.address.includes(':'));
  const inPod = ips.find((c) => {
    const iface = c.interface === undefined ? undefined : ifaces[c.interface];
    return iface !== undefined && iface.name === ifName && (iface.sandbox === undefined || iface.sandbox === netnsPath);
  }) ?? ips[0];
  if (!inPod) return {};
  const ip = inPod.address.split('/')[0];
  return { ...(ip ? { ip } : {}), ...(inPod.gateway ? { gateway: inPod.gateway } : {}) };
}

/** A minimal CNI result read back from the pod's eth0, for a DEL whose saved result was lost. */
export async function resultFromNetns(netns: string, path: string): Promise<CniResult | undefined> {
  try {
    const links: unknown = JSON.parse(await runTool('ip', ['-n', netns, '-j', '-4', 'addr', 'show', 'dev', 'eth0']));
    const info = Array.isArray(links) ? (links[0] as { addr_info?: { local?: string; prefixlen?: number }[] } | undefined) : undefined;
    const a = info?.addr_info?.[0];
    if (!a?.local || a.prefixlen === undefined) return undefined;
    return { cniVersion: CNI_VERSION, interfaces: [{ name: 'eth0', sandbox: path }], ips: [{ address: `${a.local}/${a.prefixlen}`, interface: 0 }] };
  } catch {
    return undefined;
  }
}
