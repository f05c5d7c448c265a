/**
 * POST /networks/{id}/connect and /disconnect, and the create body's NetworkingConfig: a container's
 * networks and aliases as the annotations `lcctl run --network/--network-alias` and `lcctl network
 * connect` write (api/user-networks.ts). docker-compose connects a service's container to its primary
 * network right after create, to give it the service name as an alias.
 */
import type { Pod } from '../../api/pod.js';
import { NetworkAnnotations, podAliases, podAttachments } from '../../api/user-networks.js';
import type { Network } from '../../api/schema/network.js';
import { DockerError } from './http-util.js';
import { findContainer, podNameFor } from './context.js';
import { findNetwork } from './network-create.js';
import { updatePod } from './pod-ops.js';
import type { DockerRequest } from './route.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An EndpointConfig's aliases and fixed address. */
function endpoint(v: unknown): { aliases: string[]; ip?: string } {
  if (!isObj(v)) return { aliases: [] };
  const aliases = Array.isArray(v.Aliases) ? v.Aliases.filter((a): a is string => typeof a === 'string' && /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,62})$/.test(a)) : [];
  const ipam = isObj(v.IPAMConfig) ? v.IPAMConfig : {};
  return typeof ipam.IPv4Address === 'string' && ipam.IPv4Address !== '' ? { aliases, ip: ipam.IPv4Address } : { aliases };
}

/** Put the network (object name) on the pod: primary when it is the pod's primary, else an extra (net1 ...); add aliases. */
export function joinNetwork(pod: Pod, network: string, config: unknown): void {
  const ann = { ...pod.metadata.annotations };
  const { aliases, ip } = endpoint(config);
  if (ann[NetworkAnnotations.primary] === network) {
    if (ip) ann[NetworkAnnotations.ip] = ip;
  } else {
    const cur = podAttachments(pod);
    if (!cur.ok) throw new DockerError(400, cur.error);
    if (cur.attachments.some((a) => a.network === network)) throw new DockerError(403, `endpoint with name ${pod.metadata.name} already exists in network ${network}`);
    const used = new Set(cur.attachments.map((a) => a.ifName));
    let i = 1;
    while (used.has(`net${i}`)) i++;
    const extras = cur.attachments.filter((a) => a.ifName !== 'eth0').map((a) => ({ name: a.network, interface: a.ifName, ...(a.ip ? { ips: [a.ip] } : {}) }));
    extras.push({ name: network, interface: `net${i}`, ...(ip ? { ips: [ip] } : {}) });
    ann[NetworkAnnotations.multus] = JSON.stringify(extras);
  }
  if (aliases.length > 0) {
    const all = podAliases(pod);
    ann[NetworkAnnotations.aliases] = JSON.stringify({ ...all, [network]: [...new Set([...(all[network] ?? []), ...aliases])] });
  }
  pod.metadata.annotations = ann;
}

/** The create body's EndpointsConfig: the primary network's settings and any more networks (API 1.44+). */
export function applyNetworkingConfig(pod: Pod, body: Record<string, unknown>): void {
  const nc = isObj(body.NetworkingConfig) && isObj(body.NetworkingConfig.EndpointsConfig) ? body.NetworkingConfig.EndpointsConfig : {};
  for (const [name, cfg] of Object.entries(nc)) {
    if (['bridge', 'host', 'none', 'default'].includes(name)) continue;
    const obj = podNameFor(name);
    if (obj === undefined) throw new DockerError(400, `NetworkingConfig.EndpointsConfig: "${name}" is not a network name`);
    joinNetwork(pod, obj, cfg);
  }
}

async function lookup(r: DockerRequest): Promise<{ net: Network; pod: Pod; body: Record<string, unknown> }> {
  const body = await r.body() ?? {};
  if (typeof body.Container !== 'string' || body.Container === '') throw new DockerError(400, 'Container: the container to connect is required');
  const net = findNetwork((await r.ctx.api.list<Network>('networks')).items, r.params[0]!);
  if (!net) throw new DockerError(404, `network ${r.params[0]!} not found`);
  return { net, pod: await findContainer(r.ctx, body.Container), body };
}

/** POST /networks/{id}/connect {Container, EndpointConfig}. */
export async function connectNetwork(r: DockerRequest): Promise<void> {
  const { net, pod, body } = await lookup(r);
  await updatePod(r.ctx.api, pod, (p) => joinNetwork(p, net.metadata.name, body.EndpointConfig));
  r.res.writeHead(200).end();
}

/** POST /networks/{id}/disconnect {Container}: extras only; the primary network is the container's eth0. */
export async function disconnectNetwork(r: DockerRequest): Promise<void> {
  const { net, pod } = await lookup(r);
  const name = net.metadata.name;
  if (pod.metadata.annotations?.[NetworkAnnotations.primary] === name) throw new DockerError(403, `${name} is the primary network of ${pod.metadata.name} (its eth0): remove the container instead`);
  await updatePod(r.ctx.api, pod, (p) => {
    const cur = podAttachments(p);
    if (!cur.ok) throw new DockerError(400, cur.error);
    if (!cur.attachments.some((a) => a.network === name)) throw new DockerError(404, `container ${pod.metadata.name} is not connected to network ${name}`);
    const extras = cur.attachments.filter((a) => a.ifName !== 'eth0' && a.network !== name).map((a) => ({ name: a.network, interface: a.ifName, ...(a.ip ? { ips: [a.ip] } : {}) }));
    const ann = { ...p.metadata.annotations };
    if (extras.length > 0) ann[NetworkAnnotations.multus] = JSON.stringify(extras); else delete ann[NetworkAnnotations.multus];
    p.metadata.annotations = ann;
  });
  r.res.writeHead(200).end();
}
