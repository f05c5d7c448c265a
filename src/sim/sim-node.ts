import type { Node, NodeCondition } from '../api/node.js';

/** What every simulated node of one process looks like (from lanternd sim's flags). */
export interface SimNodeShape {
  cpu: string;
  memory: string;
  pods: number;
  labels: Record<string, string>;
  version: string;
  /** Spread the nodes over this many zones (topology.kubernetes.io/zone=zone-K, K = index mod zones). */
  zones?: number;
  /** FAKE GPUs per node (nvidia.com/gpu in capacity, NVIDIA's labels with a fake product): for GPU scheduling at scale. */
  gpus?: number;
}

/** The well-known zone label, as Kubernetes' topology.kubernetes.io/zone. */
export const zoneLabel = 'topology.kubernetes.io/zone';

/** The label that marks a node as simulated, so nobody mistakes it for a machine. */
export const simulatedLabel = 'lantern.dev/simulated';

/** The Node object a simulated node registers. */
export function simulatedNode(name: string, index: number, shape: SimNodeShape): Node {
  const resources: Record<string, string> = { cpu: shape.cpu, memory: shape.memory, pods: String(shape.pods), ...(shape.gpus ? { 'nvidia.com/gpu': String(shape.gpus) } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name, 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux',
        ...(shape.zones ? { [zoneLabel]: `zone-${index % shape.zones}` } : {}),
        ...(shape.gpus ? simGpuLabels(shape.gpus) : {}),
        ...shape.labels, [simulatedLabel]: 'true',
      },
    },
    spec: {},
    status: {
      capacity: resources,
      allocatable: resources,
      addresses: [{ type: 'InternalIP', address: nodeIP(index) }, { type: 'Hostname', address: name }],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kernelVersion: 'simulated',
        osImage: 'Lantern simulated node',
        containerRuntimeVersion: 'fake://0',
        kubeletVersion: `lantern/${shape.version}`,
      },
    },
  };
}

/** The labels a node with GPUs carries (as G1's discovery sets them), naming the GPUs as fakes. */
export function simGpuLabels(count: number): Record<string, string> {
  return { 'nvidia.com/gpu.count': String(count), 'nvidia.com/gpu.product': 'FAKE-Simulated-GPU', 'nvidia.com/gpu.memory': '81920', 'gpu.type': 'fake' };
}

/** The Ready condition a simulated node posts at each heartbeat. */
export function simReadyCondition(at: string, since: string): NodeCondition {
  return {
    type: 'Ready', status: 'True', reason: 'SimulatedNodeReady', message: 'lanternd sim is posting ready status',
    lastHeartbeatTime: at, lastTransitionTime: since,
  };
}

/** A node's fake address in 172.16.0.0/12, one per node index (from .0.1 up). */
export function nodeIP(index: number): string {
  const n = index + 1;
  return `172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Fake pod addresses: node i owns 10.(128 + i/256).(i%256).0/24, so 32,768 nodes fit and a pod's
 * address tells which node it is on. Hosts .2-.254 are handed out round-robin.
 */
export class FakePodIPs {
  private next = 0;
  constructor(private readonly index: number) {}
  allocate(): string {
    const host = 2 + (this.next++ % 253);
    return `10.${128 + ((this.index >> 8) & 127)}.${this.index & 255}.${host}`;
  }
}
