import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiObject } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import { kinds } from '../../api/kinds/index.js';
import { scaleOf, withReplicas } from '../../api/kinds/scale.js';
import type { ApiClient } from '../../client/types.js';
import { readObject } from './body.js';
import { acceptKubeForms } from './kube-accepted.js';
import { serveEviction } from './eviction.js';
import { fieldValidationOf, withFieldValidation } from './field-validation.js';
import { sendJson } from './respond.js';
import { servePatch } from './patch.js';
import { serveSubresourceApply } from './apply-subresource.js';
import { isApplyPatch, serveApply, withManagedFields } from './apply.js';
import { retryOnConflict } from '../../client/kit/conflict.js';
import { tableOf, tableWatchEncoder, wantsTable } from './table-response.js';
import { serveWatch, slowWatcherLimit } from './watch.js';

type ResourceRoute = { resource: string; namespace?: string; name?: string; sub?: string };

function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ApiError('BadRequest', `query parameter ${name}: expected a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

const truthy = (v: string | null): boolean => v === '1' || v === 'true';

/** CRUD, watch, status and binding on /api/v1 resources. */
export async function serveResource(caller: ApiClient, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): Promise<void> {
  const kind = kinds.get(route.resource);
  if (!kind) throw new ApiError('NotFound', `the server doesn't have a resource type "${route.resource}"`);
  const ns = kind.namespaced ? route.namespace : undefined;
  const method = req.method ?? 'GET';
  // Writes under ?fieldValidation=Warn|Ignore drop unknown fields (field-validation.ts); Strict refuses them.
  const validated = method === 'GET' ? caller : withFieldValidation(caller, fieldValidationOf(query), res);
  // Writes record metadata.managedFields for their manager (apply.ts); an apply records its own.
  const api = method === 'GET' ? caller : withManagedFields(validated, req, query, kind);
  const dryRun = query.get('dryRun') === 'All';
  // As kube-apiserver: an unknown value must not fall through to a real write.
  for (const v of query.getAll('dryRun')) if (v !== 'All') throw new ApiError('BadRequest', `invalid dryRun value ${JSON.stringify(v)}: the only supported value is "All"`);
  const bodyObject = async (): Promise<ApiObject> => {
    const obj = (await readObject(req)) as unknown as ApiObject;
    // readObject answers 400 for a body that is not an object; metadata must be one too, as every
    // handler below reads or sets its fields.
    const meta: unknown = obj.metadata;
    if (meta !== undefined && (typeof meta !== 'object' || meta === null || Array.isArray(meta))) {
      throw new ApiError('Invalid', `metadata: must be an object, got ${meta === null ? 'null' : Array.isArray(meta) ? 'an array' : typeof meta}`, { causes: [{ field: 'metadata', message: 'must be an object' }] });
    }
    acceptKubeForms(obj);
    // Missing: the handlers and validation below then name what is missing (metadata.name).
    obj.metadata ??= { name: '' };
    if (kind.namespaced) {
      if (obj.metadata.namespace !== undefined && route.namespace !== undefined && obj.metadata.namespace !== route.namespace) {
        throw new ApiError('BadRequest', `metadata.namespace ${JSON.stringify(obj.metadata.namespace)} does not match the namespace in the URL (${route.namespace})`);
      }
      obj.metadata.namespace ??= route.namespace ?? 'default';
    }
    return obj;
  };

  if (route.name === undefined) {
    if (method === 'GET') {
      if (truthy(query.get('watch'))) {
        if (wantsTable(req.headers.accept)) serveWatch(api, req, res, route.resource, ns, query, slowWatcherLimit, await tableWatchEncoder(kind, query));
        else serveWatch(api, req, res, route.resource, ns, query);
        return;
      }
      const list = await api.list(route.resource, ns, {
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
      });
      sendJson(res, 200, wantsTable(req.headers.accept) ? await tableOf(kind, list, query) : list);
      return;
    }
    if (method === 'POST') { sendJson(res, 201, await api.create(route.resource, await bodyObject(), { dryRun })); return; }
    throw new ApiError('MethodNotAllowed', `${method} is not allowed on a ${route.resource} collection`);
  }

  const name = route.name;
  if (route.sub === undefined) {
    if (method === 'GET') {
      const obj = await api.get(route.resource, name, ns);
      sendJson(res, 200, wantsTable(req.headers.accept) ? await tableOf(kind, obj, query) : obj);
      return;
    }
    if (method === 'PUT') {
      const obj = await bodyObject();
      if (obj.metadata.name === undefined || obj.metadata.name === '') obj.metadata.name = name;
      else if (obj.metadata.name !== name) throw new ApiError('BadRequest', `metadata.name ${JSON.stringify(obj.metadata.name)} does not match the name in the URL (${name})`);
      sendJson(res, 200, await api.update(route.resource, obj, { dryRun }));
      return;
    }
    if (method === 'DELETE') {
      let grace = intParam(query, 'gracePeriodSeconds');
      if (grace === undefined && (req.headers['content-length'] ?? '0') !== '0') {
        const opts: { gracePeriodSeconds?: unknown } = await readObject(req);
        if (typeof opts.gracePeriodSeconds === 'number') grace = opts.gracePeriodSeconds;
      }
      sendJson(res, 200, await api.delete(route.resource, name, ns, { gracePeriodSeconds: grace }));
      return;
    }
    if (method === 'PATCH' && isApplyPatch(req.headers['content-type'])) { const out = await serveApply(validated, req, kind, name, ns, query, dryRun); sendJson(res, out.status, out.body); return; }
    if (method === 'PATCH') { sendJson(res, 200, await servePatch(api, req, kind, 'object', name, ns, dryRun)); return; }
    throw new ApiError('MethodNotAllowed', `${method} is not allowed on a ${kind.kind}`);
  }
  if ((route.sub === 'status' || route.sub === 'scale') && method === 'PATCH' && isApplyPatch(req.headers['content-type'])) { sendJson(res, 200, await serveSubresourceApply(api, req, kind, route.sub, name, ns, query, dryRun)); return; }
  if (route.sub === 'status') {
    if (method === 'GET') { sendJson(res, 200, await api.get(route.resource, name, ns)); return; }
    if (method === 'PUT') {
      const obj = await bodyObject();
      obj.metadata.name = name;
      sendJson(res, 200, await api.updateStatus(route.resource, obj));
      return;
    }
    if (method === 'PATCH') { sendJson(res, 200, await servePatch(api, req, kind, 'status', name, ns, false)); return; }
  }
  const scale = kind.subresources.scale;
  if (route.sub === 'scale' && scale !== undefined) {
    if (method === 'GET') { sendJson(res, 200, scaleOf(scale, await api.get(route.resource, name, ns))); return; }
    if (method === 'PUT') {
      const body = (await readObject(req)) as { spec?: { replicas?: unknown } | null; metadata?: { resourceVersion?: unknown } | null };
      const replicas = body.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw new ApiError('Invalid', 'spec.replicas: must be a non-negative integer', { causes: [{ field: 'spec.replicas', message: 'must be greater than or equal to 0' }] });
      // Without a resourceVersion the write is unconditional, as kube-apiserver's: a controller's
      // status write between the read and the write is read again, not a 409 for the client.
      const pinned = typeof body.metadata?.resourceVersion === 'string' ? body.metadata.resourceVersion : undefined;
      const written = await retryOnConflict(async () => {
        const current = await api.get(route.resource, name, ns);
        const next = withReplicas(scale, current, replicas);
        next.metadata.resourceVersion = pinned ?? current.metadata.resourceVersion;
        return api.update(route.resource, next);
      }, { attempts: pinned === undefined ? 6 : 1 });
      sendJson(res, 200, scaleOf(scale, written));
      return;
    }
    if (method === 'PATCH') { sendJson(res, 200, await servePatch(api, req, kind, 'scale', name, ns, dryRun)); return; }
  }
  if (route.sub === 'eviction' && route.resource === 'pods' && method === 'POST') { sendJson(res, 201, await serveEviction(api, req, ns ?? 'default', name)); return; }
  if (route.sub === 'binding' && route.resource === 'pods' && method === 'POST') {
    const body = (await readObject(req)) as { target?: { name?: unknown } | null };
    const target = body.target?.name;
    if (typeof target !== 'string' || target === '') throw new ApiError('Invalid', 'target.name: required (the node to bind to)', { causes: [{ field: 'target.name', message: 'required' }] });
    await api.bind(ns ?? 'default', name, target);
    sendJson(res, 201, { kind: 'Status', status: 'Success' });
    return;
  }
  throw new ApiError('NotFound', `no subresource "${route.sub}" with ${method} on ${route.resource}`);
}
