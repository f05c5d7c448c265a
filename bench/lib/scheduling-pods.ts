import type { Pod } from '../../src/api/pod.js';

const cpus = ['100m', '250m', '500m', '1'];
const memories = ['128Mi', '256Mi', '512Mi', '1Gi'];
/** Pods sharing one group label: the unit that anti-affinity and spread rules look at. */
const groups = 500;

/** What kind of rule pod i carries: 80% none, 5% each of four kinds. */
export function ruleOf(i: number): 'none' | 'node-affinity' | 'anti-affinity' | 'spread' | 'pod-affinity' {
  switch (i % 20) {
    case 0: return 'node-affinity';
    case 1: return 'anti-affinity';
    case 2: return 'spread';
    case 3: return 'pod-affinity';
    default: return 'none';
  }
}

/**
 * Pod i of the scheduler benchmark: mixed cpu and memory requests; one in five carries a rule —
 * required node affinity to three of the zones, required anti-affinity per host within its group,
 * a zone spread (maxSkew 1, DoNotSchedule) within its group, or preferred affinity to its group's zone.
 */
export function benchPod(prefix: string, i: number, zones: number): Pod {
  const group = `g${i % groups}`;
  const rule = ruleOf(i);
  const selector = { matchLabels: { group } };
  const spec: Pod['spec'] = {
    restartPolicy: 'Never',
    containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: cpus[i % 4]!, memory: memories[(i >> 2) % 4]! } } }],
  };
  if (rule === 'node-affinity') {
    const wanted = [0, 1, 2].map((k) => `zone-${(i + k) % zones}`);
    spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: wanted }] }] } } };
  } else if (rule === 'anti-affinity') {
    spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: selector, topologyKey: 'kubernetes.io/hostname' }] } };
  } else if (rule === 'spread') {
    spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }];
  } else if (rule === 'pod-affinity') {
    spec.affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: selector, topologyKey: 'topology.kubernetes.io/zone' } }] } };
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${prefix}-${i}`, namespace: 'default', labels: { group, bench: prefix } }, spec } as Pod;
}

/** Milliseconds from the pod's creation to its PodScheduled=True, both as the server stamped them. */
export function createToBoundMs(pod: Pod): number | undefined {
  const bound = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True')?.lastTransitionTime;
  const created = pod.metadata.creationTimestamp;
  if (!bound || !created || !pod.spec.nodeName) return undefined;
  return Date.parse(bound) - Date.parse(created);
}
