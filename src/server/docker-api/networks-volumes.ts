/**
 * Networks and volumes: Lantern's Network objects (plus Docker's built-in bridge, host and none) and the
 * Docker volumes lcctl makes (claims labelled lantern.dev/volume=true in "default").
 */
import type { ApiObject } from '../../api/meta.js';
import { sendJson } from './http-util.js';
import { DEFAULT_NAMESPACE, DOCKER_NAME_ANNOTATION } from './context.js';
import type { DockerRequest, DockerRoute } from './route.js';
import { DockerError } from './http-util.js';
import { createNetwork, findNetwork, removeNetwork } from './network-create.js';
import { connectNetwork, disconnectNetwork } from './network-connect.js';
import { createVolume, inspectVolume, removeVolume, volumeView, VolumeMarks } from './volume-ops.js';
import type { PersistentVolumeClaim } from '../../api/schema/storage.js';

const BUILTIN = [['bridge', 'bridge'], ['host', 'host'], ['none', 'null']] as const;

/** One network in Docker's list shape. */
function networkEntry(name: string, driver: string, created: string, id: string, labels: Record<string, string>): Record<string, unknown> {
  return { Name: name, Id: id, Created: created, Scope: 'local', Driver: driver, EnableIPv6: false, IPAM: { Driver: 'default', Config: [] }, Internal: false, Attachable: false, Ingress: false, Containers: {}, Options: {}, Labels: labels };
}

async function networks(r: DockerRequest): Promise<void> {
  const list = await r.ctx.api.list<ApiObject>('networks');
  const zero = '0001-01-01T00:00:00Z';
  sendJson(r.res, 200, [
    ...BUILTIN.map(([name, driver]) => networkEntry(name, driver, zero, name, {})),
    ...list.items.map((n) => networkEntry(n.metadata.annotations?.[DOCKER_NAME_ANNOTATION] ?? n.metadata.name, 'bridge', n.metadata.creationTimestamp ?? zero, (n.metadata.uid ?? '').replace(/-/g, ''), n.metadata.labels ?? {})),
  ]);
}

async function volumes(r: DockerRequest): Promise<void> {
  const list = await r.ctx.api.list<PersistentVolumeClaim>('persistentvolumeclaims', DEFAULT_NAMESPACE, { labelSelector: `${VolumeMarks.label}=true` });
  sendJson(r.res, 200, { Volumes: list.items.map(volumeView), Warnings: [] });
}

async function inspectNetwork(r: DockerRequest): Promise<void> {
  const ref = r.params[0]!;
  const builtin = BUILTIN.find(([name]) => name === ref);
  if (builtin) { sendJson(r.res, 200, networkEntry(builtin[0], builtin[1], '0001-01-01T00:00:00Z', builtin[0], {})); return; }
  const n = findNetwork((await r.ctx.api.list<ApiObject & { spec: { subnet: string; gateway?: string; driver: string } }>('networks')).items, ref);
  if (!n) throw new DockerError(404, `network ${ref} not found`);
  const e = networkEntry(n.metadata.annotations?.[DOCKER_NAME_ANNOTATION] ?? n.metadata.name, n.spec.driver, n.metadata.creationTimestamp ?? '', (n.metadata.uid ?? '').replace(/-/g, ''), n.metadata.labels ?? {});
  sendJson(r.res, 200, { ...e, IPAM: { Driver: 'default', Config: [{ Subnet: n.spec.subnet, ...(n.spec.gateway ? { Gateway: n.spec.gateway } : {}) }] } });
}

/** The network and volume routes. */
export const networkVolumeRoutes: DockerRoute[] = [
  { method: 'GET', pattern: /^\/networks$/, handler: networks },
  { method: 'POST', pattern: /^\/networks\/create$/, handler: createNetwork },
  { method: 'GET', pattern: /^\/networks\/([^/]+)$/, handler: inspectNetwork },
  { method: 'POST', pattern: /^\/networks\/([^/]+)\/connect$/, handler: connectNetwork },
  { method: 'POST', pattern: /^\/networks\/([^/]+)\/disconnect$/, handler: disconnectNetwork },
  { method: 'DELETE', pattern: /^\/networks\/([^/]+)$/, handler: removeNetwork },
  { method: 'GET', pattern: /^\/volumes$/, handler: volumes },
  { method: 'POST', pattern: /^\/volumes\/create$/, handler: createVolume },
  { method: 'GET', pattern: /^\/volumes\/([^/]+)$/, handler: inspectVolume },
  { method: 'DELETE', pattern: /^\/volumes\/([^/]+)$/, handler: removeVolume },
];
