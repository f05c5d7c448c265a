/**
 * Which nodes a DaemonSet's pod belongs on, as Kubernetes' NodeShouldRunDaemonPod decides: the
 * template's nodeSelector and required node affinity match the node, and the node's NoSchedule and
 * NoExecute taints are tolerated by the pod's tolerations plus the ones every daemon pod gets.
 */
import type { Node } from '../../api/node.js';
import type { PodSpec, Toleration } from '../../api/schema/pod.js';
import { nodeSelectorTermMatches } from '../../api/label-selector.js';
import { toleratesTaint } from '../../api/tolerations.js';
import { NodeTaints } from '../../api/node-lifecycle.js';

const exists = (key: string, effect: Toleration['effect']): Toleration => ({ key, operator: 'Exists', effect });

/**
 * The tolerations Kubernetes' DaemonSet controller adds to every daemon pod, so it stays on (and goes
 * to) nodes that are not ready, unreachable, under pressure or cordoned; Lantern's own node-lifecycle
 * taints are added beside Kubernetes' names.
 */
export function daemonTolerations(spec: PodSpec): Toleration[] {
  const out = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'), exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists(NodeTaints.notReady, 'NoExecute'), exists(NodeTaints.unreachable, 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'), exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'), exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (spec.hostNetwork) out.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  const have = spec.tolerations ?? [];
  return [...have, ...out.filter((t) => !have.some((h) => h.key === t.key && h.effect === t.effect && h.operator === t.operator))];
}

/** Should a pod of this template run on node? */
export function shouldRunOn(spec: PodSpec, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !required.nodeSelectorTerms.some((t) => nodeSelectorTermMatches(t, node))) return false;
  const tolerations = daemonTolerations(spec);
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerations.some((t) => toleratesTaint(t, taint))) return false;
  }
  return true;
}

/** The pod spec for node: the template's, with the daemon tolerations and a required affinity to that node by name. */
export function specForNode(spec: PodSpec, nodeName: string): PodSpec {
  const out = structuredClone(spec);
  out.tolerations = daemonTolerations(spec);
  // As Kubernetes' ReplaceDaemonSetPodNodeNameNodeAffinity: the node already matched the template's
  // terms, so the required affinity becomes that node's name alone and the scheduler places it there.
  out.affinity = {
    ...out.affinity,
    nodeAffinity: {
      ...out.affinity?.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
    },
  };
  return out;
}

/** The node a daemon pod is for: its nodeName once bound, else the node its affinity names. */
export function nodeOfPod(spec: PodSpec): string | undefined {
  if (spec.nodeName) return spec.nodeName;
  for (const t of spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const f = t.matchFields?.find((r) => r.key === 'metadata.name' && r.operator === 'In' && r.values?.length === 1);
    if (f) return f.values![0];
  }
  return undefined;
}
