/** `describe node`: kubectl's sections for a node, with the pods bound to it. */
import type { Node } from '../node.js';
import type { Pod } from '../pod.js';
import { Doc, describeTime } from './doc.js';
import { relatedList, type DescribeContext, type Describer } from './describe.js';
import { kubeAge } from './age.js';
import { nodeRoles } from './node.js';
import { deviceSection } from './node-devices-describe.js';

function sumQuantity(pod: Pod, kind: 'requests' | 'limits', res: string): string {
  const vals = pod.spec.containers.map((c) => c.resources?.[kind]?.[res]).filter((v) => v !== undefined);
  return vals.length === 0 ? '0 (0%)' : vals.map(String).join('+');
}

/** Name through PodCIDR: the node's labels, taints, conditions, addresses, resources and system. */
function summary(doc: Doc, node: Node): void {
  const m = node.metadata;
  doc.kv(0, 'Name', m.name).kv(0, 'Roles', nodeRoles(node)).map(0, 'Labels', m.labels).map(0, 'Annotations', m.annotations, ': ');
  doc.kv(0, 'CreationTimestamp', describeTime(m.creationTimestamp));
  const taints = node.spec?.taints ?? [];
  doc.kv(0, 'Taints', taints.length === 0 ? '<none>' : taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`));
  doc.kv(0, 'Unschedulable', String(node.spec?.unschedulable ?? false));
  const conds = node.status?.conditions ?? [];
  doc.kv(0, 'Conditions');
  doc.row(1, 'Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message');
  doc.row(1, '----', '------', '-----------------', '------------------', '------', '-------');
  for (const c of conds) doc.row(1, c.type, c.status, describeTime(c.lastHeartbeatTime), describeTime(c.lastTransitionTime), c.reason ?? '', c.message ?? '');
  const addrs = node.status?.addresses ?? [];
  doc.kv(0, 'Addresses');
  for (const a of addrs) doc.row(1, `${a.type}:`, a.address);
  for (const [label, map] of [['Capacity', node.status?.capacity], ['Allocatable', node.status?.allocatable]] as const) {
    doc.kv(0, label);
    for (const [k, v] of Object.entries(map ?? {})) doc.row(1, `${k}:`, v);
  }
  const info = node.status?.nodeInfo;
  doc.kv(0, 'System Info');
  if (info) {
    doc.row(1, 'Architecture:', info.architecture).row(1, 'Operating System:', info.operatingSystem)
      .row(1, 'Kernel Version:', info.kernelVersion).row(1, 'OS Image:', info.osImage ?? '')
      .row(1, 'Container Runtime Version:', info.containerRuntimeVersion).row(1, 'Kubelet Version:', info.kubeletVersion);
  }
  if (node.spec?.podCIDR) doc.kv(0, 'PodCIDR', node.spec.podCIDR);
}

/** The pods bound to the node that have not finished, with their requests and limits. */
function pods(doc: Doc, _node: Node, ctx: DescribeContext): void {
  const live = relatedList<Pod>(ctx, 'pods').filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  doc.text(0, `Non-terminated Pods:  (${live.length} in total)`);
  if (live.length > 0) {
    doc.row(1, 'Namespace', 'Name', 'CPU Requests', 'CPU Limits', 'Memory Requests', 'Memory Limits', 'Age');
    doc.row(1, '---------', '----', '------------', '----------', '---------------', '-------------', '---');
    for (const p of live) {
      doc.row(1, p.metadata.namespace ?? 'default', p.metadata.name, sumQuantity(p, 'requests', 'cpu'), sumQuantity(p, 'limits', 'cpu'),
        sumQuantity(p, 'requests', 'memory'), sumQuantity(p, 'limits', 'memory'), kubeAge(p.metadata.creationTimestamp, ctx.now));
    }
  }
  doc.text(0, 'Events:  <none>');
}

/** kubectl describe node: its sections, then the non-terminated pods on it (from every namespace). */
export const nodeDescriber: Describer<Node> = {
  related: (node) => ({ pods: { resource: 'pods', fieldSelector: `spec.nodeName=${node.metadata.name}` } }),
  sections: [summary, deviceSection, pods],
};
