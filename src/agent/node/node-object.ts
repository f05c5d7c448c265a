import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Node } from '../../api/node.js';

/**
 * The node's own IPv4 address (its InternalIP, and the address other nodes send pod traffic to): the
 * address of the interface that holds the default route, as flannel and k3s choose it; else the first
 * non-internal IPv4 that is not on a device Lantern made. Never a pod bridge's gateway: once the bridge
 * exists (after a restart) it would otherwise come first.
 */
export function primaryIPv4(routes = readRoutes(), interfaces = os.networkInterfaces()): string {
  const v4 = (name: string): string | undefined => interfaces[name]?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  const viaDefault = defaultRouteInterface(routes);
  const fromDefault = viaDefault === undefined ? undefined : v4(viaDefault);
  if (fromDefault) return fromDefault;
  for (const name of Object.keys(interfaces)) {
    if (lanternDevice.test(name)) continue;
    const a = v4(name);
    if (a) return a;
  }
  return '127.0.0.1';
}

/** Devices Lantern creates: pod bridges, user-network bridges, veths, the VXLAN device. */
const lanternDevice = /^(lantern|ln-|veth|cni|lh)/;

/** The interface of the default IPv4 route in /proc/net/route's table (destination and mask 0). */
export function defaultRouteInterface(table: string): string | undefined {
  for (const line of table.split('\n').slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (iface && destination === '00000000' && mask === '00000000') return iface;
  }
  return undefined;
}

function readRoutes(): string {
  try { return readFileSync('/proc/net/route', 'utf8'); } catch { return ''; }
}

const archName: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

/** This machine as a Node object: capacity, labels, addresses and system info. */
export function describeNode(name: string, labels: Record<string, string>, runtimeVersion: string, version: string, maxPods = 110): Node {
  const cpus = os.cpus().length;
  const memKi = `${Math.floor(os.totalmem() / 1024)}Ki`;
  const resources = { cpu: String(cpus), memory: memKi, pods: String(maxPods) };
  const arch = archName[process.arch] ?? process.arch;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux', ...labels },
    },
    spec: {},
    status: {
      capacity: resources,
      allocatable: resources,
      addresses: [{ type: 'InternalIP', address: primaryIPv4() }, { type: 'Hostname', address: os.hostname() }],
      nodeInfo: {
        architecture: arch,
        operatingSystem: 'linux',
        kernelVersion: os.release(),
        osImage: osImage(),
        containerRuntimeVersion: runtimeVersion,
        kubeletVersion: `lantern/${version}`,
      },
    },
  };
}

/** The Ready condition as of now, keeping the transition time when nothing changed. */
export function readyCondition(previous: Node | undefined, at: string): NonNullable<NonNullable<Node['status']>['conditions']>[number] {
  const prev = previous?.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    type: 'Ready',
    status: 'True',
    reason: 'AgentReady',
    message: 'lantern agent is posting ready status',
    lastHeartbeatTime: at,
    lastTransitionTime: prev?.status === 'True' && prev.lastTransitionTime ? prev.lastTransitionTime : at,
  };
}

/** The distribution's name, as kubelet reports it (PRETTY_NAME from /etc/os-release). */
function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m?.[1]) return m[1];
  } catch { /* no os-release: fall back to the kernel's description */ }
  return `${os.type()} ${os.release()}`;
}
