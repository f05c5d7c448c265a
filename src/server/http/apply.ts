/**
 * Server-side apply over HTTP (PATCH with application/apply-patch+yaml: `kubectl apply --server-side`)
 * and the managedFields every other write records for its manager (`?fieldManager=`, else the
 * User-Agent's product, as kube-apiserver). The ownership rules are api/patch/managed-fields.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiObject } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import type { KindModule } from '../../api/kinds/module.js';
import { kindRules } from '../../api/kinds/rules.js';
import { conflictMessage, recordUpdate, serverSideApply } from '../../api/patch/managed-fields.js';
import { isObject, type JsonObject } from '../../api/patch/json-value.js';
import type { ApiClient, WriteOptions } from '../../client/types.js';
import { readObject } from './body.js';
import { acceptKubeForms } from './kube-accepted.js';

/** True for server-side apply's Content-Type. */
export function isApplyPatch(contentType: string | undefined): boolean {
  return /^application\/apply-patch\+(yaml|json)\b/i.test((contentType ?? '').trim());
}

/** Time as managedFields write it (seconds, UTC). */
const nowText = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** The manager of a write: ?fieldManager, else the User-Agent up to its first "/" (kube-apiserver's default). */
export function fieldManagerOf(req: IncomingMessage, query: URLSearchParams, required: boolean): string {
  const given = query.get('fieldManager');
  if (given !== null) {
    // kube-apiserver: at most 128 printable characters.
    if (given === '' || given.length > 128 || !/^[\x20-\x7e]+$/.test(given)) throw new ApiError('BadRequest', `fieldManager: expected 1 to 128 printable ASCII characters, got ${JSON.stringify(given.slice(0, 140))}`);
    return given;
  }
  if (required) throw new ApiError('BadRequest', 'PATCH requests with apply (application/apply-patch+yaml) must name their manager: add ?fieldManager=NAME (kubectl sends one)');
  const agent = String(req.headers['user-agent'] ?? '').split('/')[0]!.replace(/[^\x20-\x7e]/g, '').slice(0, 128);
  return agent === '' ? 'unknown' : agent;
}

const apiVersionOf = (kind: KindModule): string => kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;

/** Serve an apply: create the object if absent, else merge the configuration in and take ownership. */
export async function serveApply(api: ApiClient, req: IncomingMessage, kind: KindModule, name: string, namespace: string | undefined, query: URLSearchParams, dryRun: boolean): Promise<{ status: number; body: unknown }> {
  const manager = fieldManagerOf(req, query, true);
  const forceText = query.get('force');
  if (forceText !== null && forceText !== 'true' && forceText !== 'false') throw new ApiError('BadRequest', `force: expected true or false, got ${JSON.stringify(forceText)}`);
  const config = await readObject(req) as JsonObject;
  acceptKubeForms(config);
  const meta = config.metadata;
  if (!isObject(meta)) throw new ApiError('Invalid', 'metadata: required in an apply configuration', { causes: [{ field: 'metadata', message: 'required' }] });
  if (meta.name !== undefined && meta.name !== name) throw new ApiError('BadRequest', `metadata.name ${JSON.stringify(meta.name)} does not match the name in the URL (${name})`);
  if (kind.namespaced && meta.namespace !== undefined && meta.namespace !== namespace) throw new ApiError('BadRequest', `metadata.namespace ${JSON.stringify(meta.namespace)} does not match the namespace in the URL (${namespace ?? ''})`);
  if (config.kind !== undefined && config.kind !== kind.kind) throw new ApiError('BadRequest', `kind ${JSON.stringify(config.kind)} does not match the resource "${kind.resource}" (expected ${kind.kind})`);
  meta.name = name;
  if (kind.namespaced && namespace !== undefined) meta.namespace = namespace;
  for (let attempt = 0; ; attempt++) {
    const current = await api.get(kind.resource, name, namespace).catch((e: unknown) => { if (e instanceof ApiError && e.code === 'NotFound') return undefined; throw e; });
    const out = serverSideApply(current as unknown as JsonObject | undefined, config, manager, apiVersionOf(kind), forceText === 'true', nowText());
    if (out.conflicts !== undefined) {
      throw new ApiError('Conflict', conflictMessage(out.conflicts), { kind: kind.kind, name, causes: out.conflicts.map((c) => ({ field: c.field, message: `conflict with "${c.manager}" using ${c.apiVersion}` })) });
    }
    const obj = out.object as unknown as ApiObject;
    try {
      if (current === undefined) return { status: 201, body: await api.create(kind.resource, obj, { dryRun }) };
      obj.metadata.resourceVersion = current.metadata.resourceVersion;
      return { status: 200, body: await api.update(kind.resource, obj, { dryRun }) };
    } catch (e) {
      // Someone wrote between the read and the write (or created it): apply again to what is there now.
      if (attempt >= 5 || !(e instanceof ApiError) || (e.code !== 'Conflict' && e.code !== 'AlreadyExists')) throw e;
    }
  }
}

/** OBJ with its kind's defaults applied, as the store will keep it (OBJ itself unchanged; as sent when the defaults cannot run on it). */
function asStored<T extends ApiObject>(resource: string, obj: T): T {
  const copy = structuredClone(obj);
  try {
    kindRules.get(resource)?.applyDefaults(copy);
    return copy;
  } catch {
    // Not valid yet: the API's own validation answers it.
    return obj;
  }
}

/**
 * The client with create and update recording managedFields for this request's manager; an update
 * reads the stored object to see what changed (a caller that may not read it writes without recording).
 */
export function withManagedFields(api: ApiClient, req: IncomingMessage, query: URLSearchParams, kind: KindModule): ApiClient {
  const manager = (): string => fieldManagerOf(req, query, false);
  const version = apiVersionOf(kind);
  return {
    create: <T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T> =>
      api.create(resource, recordUpdate(undefined, obj as unknown as JsonObject, manager(), version, nowText()) as unknown as T, opts),
    update: async <T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T> => {
      const who = manager();
      const stored = await api.get(resource, obj.metadata.name, obj.metadata.namespace).catch(() => undefined);
      if (stored === undefined) return api.update(resource, obj, opts);
      // Fields are compared as stored (a Secret's stringData folded into data), so a write that changes
      // nothing records nothing: managedFields keep their time and the update stays a no-op.
      const recorded = recordUpdate(stored as unknown as JsonObject, asStored(resource, obj) as unknown as JsonObject, who, version, nowText()) as unknown as T;
      return api.update(resource, { ...obj, metadata: { ...obj.metadata, managedFields: recorded.metadata.managedFields } }, opts);
    },
    get: api.get.bind(api), list: api.list.bind(api), updateStatus: api.updateStatus.bind(api), delete: api.delete.bind(api),
    watch: api.watch.bind(api), bind: api.bind.bind(api),
  };
}
