/**
 * What a pod's status must look like whoever writes it, beyond its schema: addresses are IP
 * addresses, one state per container, no duplicates. Nodes write status and the API does not trust
 * them: a pod IP with a line break ended in other pods' /etc/hosts (issue 11).
 */
import type { PodStatus, ContainerState } from '../schema/pod.js';
import type { FieldCause } from '../errors.js';
import { checkIP, ipFamily } from '../ip.js';
import { checkLabel } from '../names.js';

// C0 and C1 control characters and DEL: never part of an identifier, and a terminal obeys them.
const control = new RegExp('[\\u0000-\\u001f\\u007f-\\u009f]');

function checkState(s: ContainerState | undefined, path: string, out: FieldCause[]): void {
  if (!s) return;
  const set = (['waiting', 'running', 'terminated'] as const).filter((k) => s[k] !== undefined);
  if (set.length > 1) out.push({ field: path, message: `may not have more than one state (${set.join(', ')}): a container is waiting, running or terminated` });
  const id = s.terminated?.containerID;
  if (id !== undefined && control.test(id)) out.push({ field: `${path}.terminated.containerID`, message: 'must not contain control characters' });
}

function checkAddresses(status: PodStatus, out: FieldCause[]): void {
  for (const f of ['podIP', 'hostIP'] as const) {
    const ip = status[f];
    const bad = ip === undefined ? undefined : checkIP(ip);
    if (bad) out.push({ field: `status.${f}`, message: bad });
  }
  for (const f of ['podIPs', 'hostIPs'] as const) {
    const list = status[f] ?? [];
    list.forEach((p, i) => { const bad = checkIP(p.ip); if (bad) out.push({ field: `status.${f}[${i}].ip`, message: bad }); });
    if (list.length === 2 && ipFamily(list[0]!.ip) !== 0 && ipFamily(list[0]!.ip) === ipFamily(list[1]!.ip)) {
      out.push({ field: `status.${f}`, message: 'may hold at most one address of each family (IPv4, IPv6)' });
    }
  }
  const first = status.podIPs?.[0]?.ip;
  if (status.podIP !== undefined && first !== undefined && first !== status.podIP) {
    out.push({ field: 'status.podIPs[0].ip', message: `must match status.podIP ${JSON.stringify(status.podIP)}` });
  }
}

/** Problems with a pod's status; empty when it is valid. */
export function checkPodStatus(status: PodStatus | undefined, out: FieldCause[]): void {
  if (!status) return;
  checkAddresses(status, out);
  const types = new Set<string>();
  status.conditions?.forEach((c, i) => {
    if (types.has(c.type)) out.push({ field: `status.conditions[${i}].type`, message: `duplicate condition type ${JSON.stringify(c.type)}` });
    types.add(c.type);
  });
  const names = new Set<string>();
  status.containerStatuses?.forEach((cs, i) => {
    const p = `status.containerStatuses[${i}]`;
    const bad = checkLabel(cs.name);
    if (bad) out.push({ field: `${p}.name`, message: bad });
    else if (names.has(cs.name)) out.push({ field: `${p}.name`, message: `duplicate container status ${JSON.stringify(cs.name)}` });
    names.add(cs.name);
    for (const f of ['image', 'imageID', 'containerID'] as const) {
      const v = cs[f];
      if (v !== undefined && control.test(v)) out.push({ field: `${p}.${f}`, message: 'must not contain control characters' });
    }
    checkState(cs.state, `${p}.state`, out);
    checkState(cs.lastState, `${p}.lastState`, out);
  });
}
