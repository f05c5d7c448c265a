/**
 * What a Node's status must hold whoever writes it: capacity and allocatable are quantities, not
 * negative, allocatable at most capacity; IP-typed addresses are IP addresses. The node writes its
 * own status, so server/node-restriction/ adds upper bounds and resource-name rules for node writers.
 */
import type { NodeStatus } from '../schema/node.js';
import type { FieldCause } from '../errors.js';
import { parseQuantity } from '../quantity.js';
import { checkIP } from '../ip.js';

/** Problems with capacity and allocatable; empty when they are valid. */
export function checkNodeResources(status: NodeStatus | undefined, out: FieldCause[]): void {
  const parsed: Record<'capacity' | 'allocatable', Map<string, number>> = { capacity: new Map(), allocatable: new Map() };
  for (const kind of ['capacity', 'allocatable'] as const) {
    for (const [name, q] of Object.entries(status?.[kind] ?? {})) {
      const v = parseQuantity(q);
      if (v === undefined) out.push({ field: `status.${kind}.${name}`, message: `invalid quantity ${JSON.stringify(q)}: expected a number with an optional suffix such as 500m, 4, 64Gi or 1T` });
      else if (v < 0) out.push({ field: `status.${kind}.${name}`, message: `must be greater than or equal to 0, got ${JSON.stringify(q)}` });
      else parsed[kind].set(name, v);
    }
  }
  for (const [name, v] of parsed.allocatable) {
    const cap = parsed.capacity.get(name);
    if (cap !== undefined && v > cap) out.push({ field: `status.allocatable.${name}`, message: `must be less than or equal to capacity ${status?.capacity?.[name] ?? ''}, got ${status?.allocatable?.[name] ?? ''}` });
  }
}

/** Problems with a Node's status; empty when it is valid. */
export function checkNodeStatus(status: NodeStatus | undefined, out: FieldCause[]): void {
  checkNodeResources(status, out);
  status?.addresses?.forEach((a, i) => {
    if (a.type !== 'InternalIP' && a.type !== 'ExternalIP') return;
    const bad = checkIP(a.address);
    if (bad) out.push({ field: `status.addresses[${i}].address`, message: `${a.type} ${bad}` });
  });
}
