import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError, sendRegistryError } from './errors.js';
import { parseRegistryPath } from './names.js';
import { paginate, sendJsonBody } from './respond.js';
import { RegistryStorage } from './storage.js';
import { Uploads } from './uploads.js';
import { serveBlob, serveUpload, startUpload } from './blobs-http.js';
import { serveManifest } from './manifests-http.js';
import { serveScan } from './scan-http.js';
import { registryVerb, userMay, type RegistryCaller } from './user-access.js';

/**
 * Who is calling, as the server authenticated them (structurally the server's Identity): `admin`
 * may push and delete, `node` may pull, a `user` as RBAC allows (user-access.ts); anything else (the
 * join token) may do neither.
 */
export type { RegistryCaller } from './user-access.js';

/** The registry's HTTP entry point for every path under /v2/. */
export type RegistryHandler = (req: IncomingMessage, res: ServerResponse, caller: RegistryCaller | undefined) => Promise<void>;

/** Upload sessions untouched this long are removed when the registry opens (a week, as resumes may wait for a link). */
const staleUploadMs = 7 * 24 * 3600 * 1000;

const challenge = { 'www-authenticate': 'Basic realm="lantern"' };

function authorize(caller: RegistryCaller | undefined, method: string, repository: string | undefined, base: boolean): void {
  if (!caller) {
    throw new RegistryError('UNAUTHORIZED', 'authentication required: use a Lantern token as a bearer token, or as the password with any user name (docker login -u lantern -p TOKEN)', null, 401, challenge);
  }
  const write = !['GET', 'HEAD'].includes(method);
  // A user's request is RBAC's to decide; the base endpoint only proves the login (docker login).
  if (caller.role === 'user') {
    if (base && !write) return;
    const d = userMay(caller, method, repository);
    if (!d.allowed) throw new RegistryError('DENIED', `User "${caller.name}" cannot ${registryVerb(method)} images${repository === undefined ? '' : ` "${repository}"`} in the registry: ${d.reason} (grant use, or ${registryVerb(method)}, on resource "images" in API group "lantern.dev", resourceNames limiting repositories)`);
    return;
  }
  const allowed = caller.role === 'admin' || (caller.role === 'node' && !write);
  if (!allowed) {
    throw new RegistryError('DENIED', `${caller.name} may not ${write ? 'push to or delete from' : 'pull from'} the registry: ${write ? 'pushing needs the admin token' : 'pulling needs an admin token or a node credential'}`);
  }
}

/** Open (creating) the registry stored under `root` (DATA_DIR/registry) and return its HTTP handler. */
export async function openRegistry(root: string): Promise<RegistryHandler> {
  return serveRegistry(await RegistryStorage.open(root));
}

/** The HTTP handler over an opened storage (stale upload sessions are purged first). */
export async function serveRegistry(storage: RegistryStorage): Promise<RegistryHandler> {
  const ctx = { storage, uploads: new Uploads(storage) };
  await ctx.uploads.purgeStale(staleUploadMs);
  return async (req, res, caller) => {
    const method = req.method ?? 'GET';
    try {
      const url = new URL(req.url ?? '/', 'http://registry');
      const route = parseRegistryPath(url.pathname);
      authorize(caller, method, route && 'name' in route ? route.name : undefined, route?.kind === 'base');
      if (!route) throw new RegistryError('UNSUPPORTED', `no registry endpoint at ${url.pathname}`, null, 404);
      switch (route.kind) {
        case 'base': sendJsonBody(req, res, 200, {}); return;
        case 'catalog': {
          const page = paginate(await storage.repositories(), url.searchParams, '/v2/_catalog');
          sendJsonBody(req, res, 200, { repositories: page.items }, page.link ? { link: page.link } : {});
          return;
        }
        case 'tags': {
          const tags = await storage.tags(route.name);
          if (tags === undefined) throw new RegistryError('NAME_UNKNOWN', `repository "${route.name}" is not known to this registry`, { name: route.name });
          const page = paginate(tags, url.searchParams, `/v2/${route.name}/tags/list`);
          sendJsonBody(req, res, 200, { name: route.name, tags: page.items }, page.link ? { link: page.link } : {});
          return;
        }
        case 'manifest': return await serveManifest(storage, req, res, route.name, route.reference);
        case 'blob': return await serveBlob(ctx, req, res, route.name, route.digest);
        case 'scan': return await serveScan(storage, req, res, route.name, route.reference);
        case 'uploads': return await startUpload(ctx, req, res, route.name, url.searchParams);
        case 'upload': return await serveUpload(ctx, req, res, route.name, route.id, url.searchParams);
      }
    } catch (e) {
      sendRegistryError(res, e, method);
    }
  };
}
