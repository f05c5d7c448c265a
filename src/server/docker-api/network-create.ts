/**
 * POST /networks/create and DELETE /networks/{id}: Lantern Network objects, as `lcctl network create|rm`
 * makes and removes them. Without a subnet one is picked from Docker's default pools (172.20-31.0.0/16,
 * then 192.168.100-199.0/24) that no other Network overlaps.
 */
import type { Network } from '../../api/schema/network.js';
import { NETWORK_DRIVERS, type NetworkDriver } from '../../api/schema/network.js';
import type { Pod } from '../../api/pod.js';
import { NetworkAnnotations } from '../../api/user-networks.js';
import { ApiError } from '../../api/errors.js';
import { DockerError, sendJson } from './http-util.js';
import type { DockerRequest } from './route.js';
import { DOCKER_NAME_ANNOTATION, podNameFor } from './context.js';

/** A Network by its Docker name, object name or ID prefix. */
export function findNetwork<T extends { metadata: { name: string; uid?: string; annotations?: Record<string, string> } }>(nets: readonly T[], ref: string): T | undefined {
  return nets.find((n) => n.metadata.annotations?.[DOCKER_NAME_ANNOTATION] === ref) ?? nets.find((n) => n.metadata.name === ref)
    ?? (/^[0-9a-f]{6,}$/.test(ref) ? nets.find((n) => (n.metadata.uid ?? '').replace(/-/g, '').startsWith(ref)) : undefined);
}

const ip = (s: string): number => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
/** [first, last] address of an IPv4 CIDR; undefined when malformed. */
function range(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!m || Number(m[2]) > 32 || m[1]!.split('.').some((o) => Number(o) > 255)) return undefined;
  const size = 2 ** (32 - Number(m[2]));
  const first = Math.floor(ip(m[1]!) / size) * size;
  return [first, first + size - 1];
}
const overlaps = (a: string, b: string): boolean => { const x = range(a); const y = range(b); return !!x && !!y && x[0] <= y[1] && y[0] <= x[1]; };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** POST /networks/create {Name, Driver, IPAM: {Config: [{Subnet, Gateway, IPRange}]}, Labels, Options}. */
export async function createNetwork(r: DockerRequest): Promise<void> {
  const body = await r.body() ?? {};
  const dockerName = body.Name;
  const name = typeof dockerName === 'string' ? podNameFor(dockerName) : undefined;
  if (typeof dockerName !== 'string' || name === undefined) throw new DockerError(400, 'Name: a network name is required: letters, digits, "_", "." and "-"');
  const driver = (typeof body.Driver === 'string' && body.Driver !== '' ? body.Driver : 'bridge') as NetworkDriver;
  if (!NETWORK_DRIVERS.includes(driver)) throw new DockerError(400, `Driver: "${driver}" is not one of ${NETWORK_DRIVERS.join(', ')}`);
  const existing = (await r.ctx.api.list<Network>('networks')).items;
  if (existing.some((n) => n.metadata.name === name)) throw new DockerError(409, `network with name ${dockerName} already exists`);
  const cfg = isObj(body.IPAM) && Array.isArray(body.IPAM.Config) && isObj(body.IPAM.Config[0]) ? body.IPAM.Config[0] : {};
  let subnet = typeof cfg.Subnet === 'string' && cfg.Subnet !== '' ? cfg.Subnet : undefined;
  if (subnet !== undefined && !range(subnet)) throw new DockerError(400, `IPAM.Config[0].Subnet: "${subnet}" is not an IPv4 CIDR such as 172.30.0.0/24`);
  const pools = [...Array.from({ length: 12 }, (_, i) => `172.${20 + i}.0.0/16`), ...Array.from({ length: 100 }, (_, i) => `192.168.${100 + i}.0/24`)];
  subnet ??= pools.find((p) => !existing.some((n) => overlaps(p, n.spec.subnet)));
  if (!subnet) throw new DockerError(400, 'no free subnet left in the default pools: give IPAM.Config[0].Subnet');
  const clash = existing.find((n) => overlaps(subnet, n.spec.subnet));
  if (clash) throw new DockerError(400, `subnet ${subnet} overlaps network ${clash.metadata.name} (${clash.spec.subnet})`);
  const options = isObj(body.Options) ? Object.fromEntries(Object.entries(body.Options).map(([k, v]) => [k, String(v)])) : {};
  const labels = isObj(body.Labels) ? Object.fromEntries(Object.entries(body.Labels).map(([k, v]) => [k, String(v)])) : {};
  const net: Network = {
    apiVersion: 'lantern.dev/v1', kind: 'Network',
    metadata: {
      name, ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(dockerName !== name ? { annotations: { [DOCKER_NAME_ANNOTATION]: dockerName } } : {}),
    },
    spec: {
      driver, subnet,
      ...(typeof cfg.Gateway === 'string' && cfg.Gateway !== '' ? { gateway: cfg.Gateway } : {}),
      ...(typeof cfg.IPRange === 'string' && cfg.IPRange !== '' ? { ipRange: cfg.IPRange } : {}),
      ...(options.parent ? { parent: options.parent } : {}),
      ...(Object.keys(options).length > 0 ? { options } : {}),
    },
  };
  const made = await r.ctx.api.create<Network>('networks', net);
  sendJson(r.res, 201, { Id: (made.metadata.uid ?? name).replace(/-/g, ''), Warning: '' });
}

/** DELETE /networks/{name}: refused while a container uses it (Docker's "active endpoints"). */
export async function removeNetwork(r: DockerRequest): Promise<void> {
  const ref = r.params[0]!;
  if (['bridge', 'host', 'none'].includes(ref)) throw new DockerError(403, `${ref} is a pre-defined network and cannot be removed`);
  const nets = (await r.ctx.api.list<Network>('networks')).items;
  const net = findNetwork(nets, ref);
  if (!net) throw new DockerError(404, `network ${ref} not found`);
  const name = net.metadata.name;
  const pods = (await r.ctx.api.list<Pod>('pods')).items;
  const users = pods.filter((p) => p.metadata.annotations?.[NetworkAnnotations.primary] === name || (p.metadata.annotations?.[NetworkAnnotations.multus] ?? '').includes(`"${name}"`));
  if (users.length > 0) throw new DockerError(403, `error while removing network: network ${name} has active endpoints (${users.map((p) => p.metadata.name).join(', ')})`);
  try { await r.ctx.api.delete('networks', name); } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') throw new DockerError(404, `network ${ref} not found`);
    throw e;
  }
  r.res.writeHead(204).end();
}
