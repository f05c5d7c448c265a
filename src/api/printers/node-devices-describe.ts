/** The accelerators section of `describe node`, from the node's lantern.dev/devices annotation. */
import type { Node } from '../node.js';
import { nodeDevices } from '../node-devices.js';
import type { Doc } from './doc.js';

const mib = (v: number | undefined): string => (v === undefined ? '-' : v % 1024 === 0 ? `${v / 1024}GiB` : `${v}MiB`);

/** "Devices:" with one row per device (index, model, memory, health, holder, utilisation); nothing when the node has none. */
export function deviceSection(doc: Doc, node: Node): void {
  const devices = nodeDevices(node);
  if (devices.length === 0) return;
  doc.kv(0, 'Devices');
  doc.row(1, 'Resource', 'Index', 'ID', 'Model', 'Memory', 'Health', 'Topology', 'Pod', 'Util');
  doc.row(1, '--------', '-----', '--', '-----', '------', '------', '--------', '---', '----');
  for (const d of devices) {
    doc.row(1, d.resource, d.index === undefined ? '-' : String(d.index), d.id, d.model ?? '-', mib(d.memoryMiB), d.healthy ? 'Healthy' : 'Unhealthy',
      d.topologyGroup ?? '-', d.pod ?? '<none>', d.utilization === undefined ? '-' : `${d.utilization}%`);
  }
}
