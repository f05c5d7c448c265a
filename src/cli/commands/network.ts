/** lcctl network create|ls|inspect|rm|connect|disconnect|prune: Docker's verbs over lantern.dev/v1 Network objects. */
import type { Pod } from '../../api/pod.js';
import type { Network } from '../../api/schema/network.js';
import { NetworkAnnotations, podAliases, podAttachments } from '../../api/user-networks.js';
import { defaultGateway } from '../../api/printers/network.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { CliError, UsageError } from '../errors.js';
import { dockerStyle, renderTable } from '../output/table.js';
import type { HttpClient } from '../../client/http-client.js';
import { networkFromFlags } from '../networks/spec.js';
import { podRef, podsOn } from '../networks/users.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'network',
  usage: 'network create [--driver D] [--subnet CIDR] [--gateway IP] [--ip-range CIDR] [--parent IFACE] [--vlan N] [--physical-interface PF] [--num-vfs N] [-o k=v] NAME | ls | inspect NAME... | rm NAME... | connect [--ip IP] [--alias A] NETWORK CONTAINER | disconnect NETWORK CONTAINER | prune',
  summary: 'Manage networks (create, ls, inspect, rm, connect, disconnect, prune)',
  style: 'docker',
  flags: [
    { name: 'driver', short: 'd', type: 'string', help: 'bridge (default), macvlan, ipvlan, host-device or sriov' },
    { name: 'subnet', type: 'string', help: 'IPv4 subnet in CIDR form (default: a free 172.x.0.0/16)' },
    { name: 'gateway', type: 'string', help: 'Gateway address (default: the subnet\'s first address)' },
    { name: 'ip-range', type: 'string', help: 'Allocate container addresses from this sub-range' },
    { name: 'parent', type: 'string', help: 'macvlan/ipvlan: the host interface; host-device: the device' },
    { name: 'vlan', type: 'string', help: '802.1Q VLAN id (macvlan/ipvlan: PARENT.VLAN; sriov: set on the VF)' },
    { name: 'physical-interface', type: 'string', help: 'sriov: the physical function (PF)' },
    { name: 'num-vfs', type: 'string', help: 'sriov: enable this many VFs through sriov_numvfs' },
    { name: 'opt', short: 'o', type: 'list', help: 'Driver option KEY=VALUE' },
    { name: 'label', type: 'list', help: 'Network label KEY=VALUE' },
    { name: 'ip', type: 'string', help: 'connect: the container\'s address on the network' },
    { name: 'alias', type: 'list', help: 'connect: a name the container answers to on the network' },
    { name: 'force', short: 'f', type: 'bool', help: 'prune: do not prompt (lcctl never prompts)' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'ls: only names' },
    namespaceFlag,
  ],
};

const shortId = (n: Network): string => (n.metadata.uid ?? '').replace(/-/g, '').slice(0, 12);

async function allPods(client: HttpClient): Promise<Pod[]> {
  return (await client.list<Pod>('pods')).items.filter((p) => p.metadata.deletionTimestamp === undefined);
}

/** Docker's `network inspect` shape. */
function inspectView(n: Network, pods: readonly Pod[]): unknown {
  const containers: Record<string, unknown> = {};
  for (const p of podsOn(n.metadata.name, pods)) {
    const r = podAttachments(p);
    const a = r.ok ? r.attachments.find((x) => x.network === n.metadata.name) : undefined;
    containers[p.metadata.uid ?? podRef(p)] = {
      Name: podRef(p), Interface: a?.ifName,
      IPv4Address: a?.ifName === 'eth0' && p.status?.podIP ? `${p.status.podIP}/${n.spec.subnet.split('/')[1] ?? ''}` : (a?.ip ?? ''),
      Aliases: podAliases(p)[n.metadata.name] ?? [],
    };
  }
  const s = n.spec;
  return {
    Name: n.metadata.name, Id: (n.metadata.uid ?? '').replace(/-/g, ''), Created: n.metadata.creationTimestamp, Scope: 'cluster', Driver: s.driver,
    IPAM: { Driver: 'host-local', Config: [{ Subnet: s.subnet, Gateway: s.gateway ?? defaultGateway(s.subnet), ...(s.ipRange ? { IPRange: s.ipRange } : {}) }] },
    Options: { ...s.options, ...(s.parent ? { parent: s.parent } : {}), ...(s.vlan ? { vlan: String(s.vlan) } : {}), ...(s.physicalInterface ? { physical_interface: s.physicalInterface } : {}), ...(s.numVFs ? { num_vfs: String(s.numVFs) } : {}) },
    Labels: n.metadata.labels ?? {}, Containers: containers,
  };
}

async function create(client: HttpClient, p: Parsed, name: string | undefined): Promise<number> {
  if (name === undefined) throw new UsageError('"network create" requires exactly 1 argument: lcctl network create [OPTIONS] NAME');
  const existing = (await client.list<Network>('networks')).items;
  if (existing.some((n) => n.metadata.name === name)) throw new CliError(`Error response from daemon: network with name ${name} already exists`);
  const net = networkFromFlags(name, {
    driver: p.str('driver'), subnet: p.str('subnet'), gateway: p.str('gateway'), ipRange: p.str('ip-range'), parent: p.str('parent'),
    vlan: p.str('vlan'), physicalInterface: p.str('physical-interface'), numVFs: p.str('num-vfs'), options: p.list('opt'), labels: p.list('label'),
  }, existing);
  const made = await client.create<Network>('networks', net);
  process.stdout.write(`${(made.metadata.uid ?? name).replace(/-/g, '')}\n`);
  return 0;
}

async function remove(client: HttpClient, names: string[]): Promise<number> {
  if (names.length === 0) throw new UsageError('"network rm" requires at least 1 argument: lcctl network rm NETWORK [NETWORK...]');
  const pods = await allPods(client);
  let failed = false;
  for (const name of names) {
    const users = podsOn(name, pods);
    if (users.length > 0) {
      process.stderr.write(`Error response from daemon: error while removing network: network ${name} has active endpoints (${users.map(podRef).join(', ')}): remove those containers or disconnect them first\n`);
      failed = true;
      continue;
    }
    try { await client.delete('networks', name); process.stdout.write(`${name}\n`); } catch (e) {
      process.stderr.write(`Error response from daemon: ${(e as Error).message}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

/** Add or drop the network in the pod's Multus list (the agent attaches or detaches on its next sync). */
async function setMembership(client: HttpClient, p: Parsed, network: string | undefined, ref: string | undefined, join: boolean): Promise<number> {
  if (network === undefined || ref === undefined) throw new UsageError(`"network ${join ? 'connect' : 'disconnect'}" requires exactly 2 arguments: NETWORK CONTAINER`);
  await client.get<Network>('networks', network);
  const pod = await client.get<Pod>('pods', ref, namespaceOf(p));
  const ann = { ...pod.metadata.annotations };
  const cur = podAttachments(pod);
  if (!cur.ok) throw new CliError(cur.error);
  const on = cur.attachments.some((a) => a.network === network);
  if (join && on) throw new CliError(`Error response from daemon: endpoint with name ${ref} already exists in network ${network}`);
  if (!join && !on) throw new CliError(`Error response from daemon: container ${ref} is not connected to network ${network}`);
  if (!join && ann[NetworkAnnotations.primary] === network) throw new CliError(`Error response from daemon: ${network} is the primary network of ${ref} (its eth0): remove the container instead`);
  const extras = cur.attachments.filter((a) => a.ifName !== 'eth0' || ann[NetworkAnnotations.primary] === undefined)
    .map((a) => ({ name: a.network, interface: a.ifName, ...(a.ip ? { ips: [a.ip] } : {}) }))
    .filter((e) => e.name !== network);
  if (join) {
    const used = new Set(cur.attachments.map((a) => a.ifName));
    let i = 1;
    while (used.has(`net${i}`)) i++;
    const ip = p.str('ip');
    extras.push({ name: network, interface: `net${i}`, ...(ip ? { ips: [ip] } : {}) });
    const aliases = p.list('alias');
    if (aliases.length > 0) ann[NetworkAnnotations.aliases] = JSON.stringify({ ...podAliases(pod), [network]: aliases });
  }
  if (extras.length > 0) ann[NetworkAnnotations.multus] = JSON.stringify(extras);
  else delete ann[NetworkAnnotations.multus];
  await client.update<Pod>('pods', { ...pod, metadata: { ...pod.metadata, annotations: ann } });
  return 0;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  const client = connect(p);
  switch (sub) {
    case 'create': return create(client, p, rest[0]);
    case 'ls': case 'list': {
      const nets = (await client.list<Network>('networks')).items;
      if (p.bool('quiet')) { process.stdout.write(nets.map((n) => `${n.metadata.name}\n`).join('')); return 0; }
      process.stdout.write(renderTable(['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], nets.map((n) => [shortId(n), n.metadata.name, n.spec.driver, 'cluster']), dockerStyle));
      return 0;
    }
    case 'inspect': {
      if (rest.length === 0) throw new UsageError('"network inspect" requires at least 1 argument: lcctl network inspect NETWORK [NETWORK...]');
      const pods = await allPods(client);
      const out: unknown[] = [];
      for (const name of rest) out.push(inspectView(await client.get<Network>('networks', name), pods));
      process.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
      return 0;
    }
    case 'rm': case 'remove': return remove(client, rest);
    case 'connect': return setMembership(client, p, rest[0], rest[1], true);
    case 'disconnect': return setMembership(client, p, rest[0], rest[1], false);
    case 'prune': {
      const pods = await allPods(client);
      const unused = (await client.list<Network>('networks')).items.filter((n) => podsOn(n.metadata.name, pods).length === 0);
      for (const n of unused) await client.delete('networks', n.metadata.name);
      process.stdout.write(unused.length > 0 ? `Deleted Networks:\n${unused.map((n) => `${n.metadata.name}\n`).join('')}` : '');
      return 0;
    }
    default:
      throw new UsageError('lcctl network needs a subcommand: create, ls, inspect, rm, connect, disconnect or prune');
  }
}
