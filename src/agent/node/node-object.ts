import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Node } from '../../api/node.js';

/** The first non-internal IPv4 address of this machine (the node's InternalIP). */
export function primaryIPv4(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('10.88.')) return a.address;
  }
  return '127.0.0.1';
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
