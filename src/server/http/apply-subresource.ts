/**
 * Server-side apply on the status and scale subresources (`kubectl apply --server-side
 * --subresource=status|scale`): status merges the configuration's `status` into the stored object by
 * apply's rules and writes it with a status write; scale applies a Scale's `spec.replicas`.
 * Departure from kube-apiserver: a status apply checks conflicts against the managedFields the object
 * has, but the status write does not record a `subresource: status` entry (the store's status write
 * keeps metadata as stored), so a later status apply by another manager is not a conflict.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiObject } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import type { KindModule } from '../../api/kinds/module.js';
import { scaleOf, withReplicas } from '../../api/kinds/scale.js';
import { conflictMessage, serverSideApply } from '../../api/patch/managed-fields.js';
import { isObject, type JsonObject } from '../../api/patch/json-value.js';
import type { ApiClient } from '../../client/types.js';
import { readObject } from './body.js';
import { fieldManagerOf } from './apply.js';

const retries = 5;
const nowText = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Serve an apply PATCH on SUB (status or scale): answers the object (status) or the Scale (scale) as written. */
export async function serveSubresourceApply(api: ApiClient, req: IncomingMessage, kind: KindModule, sub: 'status' | 'scale', name: string, namespace: string | undefined, query: URLSearchParams, dryRun: boolean): Promise<unknown> {
  const manager = fieldManagerOf(req, query, true);
  const forceText = query.get('force');
  if (forceText !== null && forceText !== 'true' && forceText !== 'false') throw new ApiError('BadRequest', `force: expected true or false, got ${JSON.stringify(forceText)}`);
  const config = await readObject(req) as JsonObject;
  const meta = config.metadata;
  if (isObject(meta) && meta.name !== undefined && meta.name !== name) throw new ApiError('BadRequest', `metadata.name ${JSON.stringify(meta.name)} does not match the name in the URL (${name})`);
  if (sub === 'scale') {
    const scale = kind.subresources.scale;
    if (scale === undefined) throw new ApiError('NotFound', `${kind.resource} have no scale subresource`);
    const spec = config.spec;
    const replicas = isObject(spec) ? spec.replicas : undefined;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw new ApiError('Invalid', 'spec.replicas: expected a non-negative integer in the applied Scale', { causes: [{ field: 'spec.replicas', message: 'must be greater than or equal to 0' }] });
    for (let attempt = 0; ; attempt++) {
      const current = await api.get(kind.resource, name, namespace);
      try {
        return scaleOf(scale, await api.update(kind.resource, withReplicas(scale, current, replicas), { dryRun }));
      } catch (e) {
        if (attempt >= retries || !(e instanceof ApiError) || e.code !== 'Conflict') throw e;
      }
    }
  }
  if (!isObject(config.status)) throw new ApiError('Invalid', 'status: expected an object in a status apply configuration', { causes: [{ field: 'status', message: 'required' }] });
  const only: JsonObject = { metadata: { name, ...(namespace !== undefined && kind.namespaced ? { namespace } : {}) }, status: config.status };
  const apiVersion = kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
  for (let attempt = 0; ; attempt++) {
    const current = await api.get(kind.resource, name, namespace);
    const out = serverSideApply(current as unknown as JsonObject, only, manager, apiVersion, forceText === 'true', nowText());
    if (out.conflicts !== undefined) {
      throw new ApiError('Conflict', conflictMessage(out.conflicts), { kind: kind.kind, name, causes: out.conflicts.map((c) => ({ field: c.field, message: `conflict with "${c.manager}" using ${c.apiVersion}` })) });
    }
    const next = out.object as unknown as ApiObject;
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (dryRun) return next;
    try {
      return await api.updateStatus(kind.resource, next);
    } catch (e) {
      if (attempt >= retries || !(e instanceof ApiError) || e.code !== 'Conflict') throw e;
    }
  }
}
