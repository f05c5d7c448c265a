/**
 * /apis/autoscaling/v1/.../horizontalpodautoscalers: the v1 view of the stored autoscaling/v2 objects
 * (api/kinds/hpa-v1.ts converts), for `kubectl autoscale` (1.32 writes v1, in protobuf) and older
 * clients: get, list, watch, create, update, PATCH (JSON, merge, strategic merge on the v1 view) and
 * delete, through the caller's authorized client (so who may do what is the v2 resource's rule).
 * Server-side apply and status writes answer 405/415 pointing at v2; /apis
 * keeps advertising v2 as the only version, so kubectl's own lookups stay on v2.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { checkV1, fromV2, toV2 } from '../../api/kinds/hpa-v1.js';
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';
import type { ApiClient } from '../../client/types.js';
import { applyPatch, patchTypeOf, PatchError } from '../../api/patch/index.js';
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import { readJson } from './body.js';
import { serveWatch, slowWatcherLimit } from './watch.js';
import { acceptKubeForms } from './kube-accepted.js';
import { sendJson } from './respond.js';

const prefix = '/apis/autoscaling/v1';
const resource = 'horizontalpodautoscalers';

/** True for a path this module serves. */
export function isAutoscalingV1Path(pathname: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** The resource list kubectl reads at /apis/autoscaling/v1. */
const resourceList = {
  kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'autoscaling/v1',
  resources: [{ name: resource, singularName: 'horizontalpodautoscaler', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['hpa'], categories: ['all'] }],
};

type Target = { namespace?: string; name?: string; sub?: string };

function parse(pathname: string): Target | undefined {
  const parts = pathname.slice(prefix.length).split('/').filter((p) => p !== '');
  if (parts.length === 1 && parts[0] === resource) return {};
  if (parts[0] === 'namespaces' && parts[2] === resource && parts.length >= 3 && parts.length <= 5) return { namespace: parts[1], name: parts[3], sub: parts[4] };
  return undefined;
}

/** Serve one v1 request. */
export async function serveAutoscalingV1(api: ApiClient, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '');
  if (path === prefix) {
    if (method !== 'GET') throw new ApiError('MethodNotAllowed', `${method} is not allowed on ${prefix}`);
    sendJson(res, 200, resourceList);
    return;
  }
  const t = parse(path);
  if (t === undefined) throw new ApiError('NotFound', `no API route for path ${url.pathname}`);
  const onlyV2 = (what: string): ApiError => new ApiError('MethodNotAllowed', `${what} of autoscaling/v1 horizontalpodautoscalers is not served: use autoscaling/v2 (kubectl get hpa, kubectl patch hpa do)`);
  if (t.sub !== undefined) throw onlyV2(`the ${t.sub} subresource`);
  const dryRun = url.searchParams.get('dryRun') === 'All';
  const body = async (): Promise<ReturnType<typeof checkV1>> => {
    const raw = await readJson(req);
    acceptKubeForms(raw);
    const v1 = checkV1(raw);
    const ns = v1.metadata.namespace;
    if (ns !== undefined && t.namespace !== undefined && ns !== t.namespace) throw new ApiError('BadRequest', `metadata.namespace ${JSON.stringify(ns)} does not match the namespace in the URL (${t.namespace})`);
    v1.metadata.namespace = t.namespace ?? ns ?? 'default';
    return v1;
  };
  if (t.name === undefined) {
    if (method === 'GET') {
      if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
        serveWatch(api, req, res, resource, t.namespace, url.searchParams, slowWatcherLimit, v1Line);
        return;
      }
      const list = await api.list<HorizontalPodAutoscaler>(resource, t.namespace, { labelSelector: url.searchParams.get('labelSelector') ?? undefined, fieldSelector: url.searchParams.get('fieldSelector') ?? undefined });
      sendJson(res, 200, { kind: 'HorizontalPodAutoscalerList', apiVersion: 'autoscaling/v1', metadata: list.metadata, items: list.items.map(fromV2) });
      return;
    }
    if (method === 'POST') {
      if (t.namespace === undefined) throw new ApiError('MethodNotAllowed', 'create a HorizontalPodAutoscaler under /apis/autoscaling/v1/namespaces/NAMESPACE/horizontalpodautoscalers');
      sendJson(res, 201, fromV2(await api.create(resource, toV2(await body()), { dryRun })));
      return;
    }
    throw new ApiError('MethodNotAllowed', `${method} is not allowed on a ${resource} collection`);
  }
  const name = t.name;
  if (method === 'GET') { sendJson(res, 200, fromV2(await api.get<HorizontalPodAutoscaler>(resource, name, t.namespace))); return; }
  if (method === 'PUT') {
    const v1 = await body();
    if (v1.metadata.name !== undefined && v1.metadata.name !== '' && v1.metadata.name !== name) throw new ApiError('BadRequest', `metadata.name ${JSON.stringify(v1.metadata.name)} does not match the name in the URL (${name})`);
    v1.metadata.name = name;
    const stored = await api.get<HorizontalPodAutoscaler>(resource, name, t.namespace);
    const next = toV2(v1, stored);
    next.metadata.resourceVersion ??= stored.metadata.resourceVersion;
    sendJson(res, 200, fromV2(await api.update(resource, next, { dryRun })));
    return;
  }
  if (method === 'PATCH') { sendJson(res, 200, await patchV1(api, req, name, t.namespace, dryRun)); return; }
  if (method === 'DELETE') { sendJson(res, 200, fromV2(await api.delete<HorizontalPodAutoscaler>(resource, name, t.namespace))); return; }
  throw onlyV2(method);
}

/** One watch line with the object in its v1 view (a BOOKMARK or ERROR goes as it is). */
function v1Line(event: WatchEvent<ApiObject>): string {
  const object = event.type === 'BOOKMARK' || event.type === 'ERROR' ? event.object : fromV2(event.object as HorizontalPodAutoscaler);
  return JSON.stringify({ type: event.type, object }) + '\n';
}

/** PATCH on the v1 view: patch what a v1 GET shows, check it as a v1 body, write it back as v2 (retrying a conflict unless pinned). */
async function patchV1(api: ApiClient, req: IncomingMessage, name: string, namespace: string | undefined, dryRun: boolean): Promise<unknown> {
  const type = patchTypeOf(req.headers['content-type']);
  if (type === undefined) throw new ApiError('UnsupportedMediaType', `PATCH of autoscaling/v1 horizontalpodautoscalers needs Content-Type application/json-patch+json, application/merge-patch+json or application/strategic-merge-patch+json (server-side apply: use autoscaling/v2), got ${JSON.stringify(req.headers['content-type'] ?? '')}`);
  const patch = await readJson(req);
  for (let attempt = 0; ; attempt++) {
    const stored = await api.get<HorizontalPodAutoscaler>(resource, name, namespace);
    let out: unknown;
    try {
      out = applyPatch(type, fromV2(stored), patch);
    } catch (e) {
      if (e instanceof PatchError) throw new ApiError('Invalid', `the patch cannot be applied to horizontalpodautoscaler "${name}": ${e.message}`);
      throw e;
    }
    const v1 = checkV1(out);
    if (v1.metadata.name !== name || (v1.metadata.namespace ?? namespace) !== namespace) throw new ApiError('Invalid', 'metadata.name and metadata.namespace cannot be changed by a patch', { causes: [{ field: 'metadata.name', message: 'field is immutable' }] });
    const next = toV2(v1, stored);
    const pinned = v1.metadata.resourceVersion !== undefined && v1.metadata.resourceVersion !== stored.metadata.resourceVersion;
    next.metadata.resourceVersion = v1.metadata.resourceVersion ?? stored.metadata.resourceVersion;
    try {
      return fromV2(await api.update(resource, next, { dryRun }));
    } catch (e) {
      if (pinned || attempt >= 5 || !(e instanceof ApiError) || e.code !== 'Conflict') throw e;
    }
  }
}
