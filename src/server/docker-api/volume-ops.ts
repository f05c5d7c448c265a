/**
 * POST /volumes/create, GET /volumes/{name}, DELETE /volumes/{name}: Docker volumes as lcctl volume
 * makes them, a PersistentVolumeClaim labelled lantern.dev/volume=true in "default" (driver local: the
 * default StorageClass; another driver names a StorageClass). NFS options (-o type=nfs) stay with lcctl.
 */
import type { PersistentVolumeClaim } from '../../api/schema/storage.js';
import type { Pod } from '../../api/pod.js';
import { ApiError } from '../../api/errors.js';
import { DockerError, queryBool, sendJson } from './http-util.js';
import { DEFAULT_NAMESPACE } from './context.js';
import type { DockerRequest } from './route.js';
import type { ApiClient } from '../../client/types.js';

/** The label and annotations lcctl's volumes carry (cli/volumes/spec.ts). */
export const VolumeMarks = { label: 'lantern.dev/volume', driver: 'volume.lantern.dev/driver', options: 'volume.lantern.dev/options' } as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A claim in Docker's volume shape. */
export function volumeView(c: PersistentVolumeClaim): Record<string, unknown> {
  let options: Record<string, string> = {};
  try { options = JSON.parse(c.metadata.annotations?.[VolumeMarks.options] ?? '{}') as Record<string, string>; } catch { /* shown empty */ }
  const labels = { ...c.metadata.labels };
  delete labels[VolumeMarks.label];
  return {
    Name: c.metadata.name, Driver: c.metadata.annotations?.[VolumeMarks.driver] ?? 'local', Mountpoint: '', CreatedAt: c.metadata.creationTimestamp ?? '',
    Labels: labels, Scope: 'local', Options: options, Status: { phase: c.status?.phase ?? 'Pending', volumeName: c.spec.volumeName ?? '' },
  };
}

async function getClaim(r: DockerRequest, name: string): Promise<PersistentVolumeClaim> {
  try {
    const c = await r.ctx.api.get<PersistentVolumeClaim>('persistentvolumeclaims', name, DEFAULT_NAMESPACE);
    if (c.metadata.labels?.[VolumeMarks.label] === 'true') return c;
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'NotFound')) throw e;
  }
  throw new DockerError(404, `get ${name}: no such volume`);
}

/** POST /volumes/create: an existing volume of that name is answered as it is (Docker's create is idempotent). */
export async function createVolume(r: DockerRequest): Promise<void> {
  const body = await r.body() ?? {};
  const name = body.Name;
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) {
    throw new DockerError(400, 'Name: a volume is a PersistentVolumeClaim here: lower-case letters, digits, "-" or ".", starting and ending with a letter or digit (anonymous volumes are not supported)');
  }
  const driver = typeof body.Driver === 'string' && body.Driver !== '' ? body.Driver : 'local';
  const opts = isObj(body.DriverOpts) ? Object.fromEntries(Object.entries(body.DriverOpts).map(([k, v]) => [k, String(v)])) : {};
  if (opts.type !== undefined) throw new DockerError(400, `DriverOpts.type=${opts.type}: NFS and other mount types are made with lcctl volume create -o type=nfs`);
  const size = opts.size ?? '1Gi';
  if (!/^\d+(\.\d+)?([KMGTPE]i?|[kMGTPE])?$/.test(size)) throw new DockerError(400, `DriverOpts.size=${size}: expected a quantity such as 10Gi`);
  const labels = isObj(body.Labels) ? Object.fromEntries(Object.entries(body.Labels).map(([k, v]) => [k, String(v)])) : {};
  let made: PersistentVolumeClaim;
  try { made = await r.ctx.api.create<PersistentVolumeClaim>('persistentvolumeclaims', claimFor(name, driver, opts, labels, size)); } catch (e) {
    if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
    made = await getClaim(r, name);
  }
  sendJson(r.res, 201, volumeView(made));
}

/** The claim of a Docker volume. */
function claimFor(name: string, driver: string, opts: Record<string, string>, labels: Record<string, string>, size: string): PersistentVolumeClaim {
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: DEFAULT_NAMESPACE, labels: { ...labels, [VolumeMarks.label]: 'true' }, annotations: { [VolumeMarks.driver]: driver, [VolumeMarks.options]: JSON.stringify(opts) } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...(driver === 'local' ? {} : { storageClassName: driver }) },
  };
}

/** Make the named volumes a new container mounts when they are missing (Docker creates them on first use). */
export async function ensureVolumes(api: ApiClient, pod: Pod): Promise<void> {
  for (const v of pod.spec.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim === undefined) continue;
    try { await api.create<PersistentVolumeClaim>('persistentvolumeclaims', claimFor(claim, 'local', {}, {}, '1Gi')); } catch (e) {
      if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
    }
  }
}

/** GET /volumes/{name}. */
export async function inspectVolume(r: DockerRequest): Promise<void> {
  sendJson(r.res, 200, volumeView(await getClaim(r, r.params[0]!)));
}

/** DELETE /volumes/{name}: refused while a container uses it, even with force (as Docker). */
export async function removeVolume(r: DockerRequest): Promise<void> {
  const name = r.params[0]!;
  let claim: PersistentVolumeClaim;
  try { claim = await getClaim(r, name); } catch (e) {
    if (queryBool(r.query, 'force') && e instanceof DockerError && e.status === 404) { r.res.writeHead(204).end(); return; }
    throw e;
  }
  const pods = (await r.ctx.api.list<Pod>('pods', DEFAULT_NAMESPACE)).items;
  const users = pods.filter((p) => (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === name));
  if (users.length > 0) throw new DockerError(409, `remove ${name}: volume is in use - [${users.map((p) => p.metadata.name).join(', ')}]`);
  await r.ctx.api.delete('persistentvolumeclaims', claim.metadata.name, DEFAULT_NAMESPACE);
  r.res.writeHead(204).end();
}
