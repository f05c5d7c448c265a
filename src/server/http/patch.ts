/**
 * PATCH on an object, its status or its scale: read the object, apply the patch of the request's
 * Content-Type (api/patch: JSON, merge, strategic merge), write it back. A patch that names no
 * resourceVersion is retried on a conflict (kube-apiserver does the same); one that names it is
 * an optimistic write and gets the 409.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiObject } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import { applyPatch, patchTypeOf, PatchError } from '../../api/patch/index.js';
import { scaleOf, withReplicas } from '../../api/kinds/scale.js';
import type { KindModule } from '../../api/kinds/module.js';
import type { ApiClient } from '../../client/types.js';
import { readJson } from './body.js';

/** Which part of the object a PATCH writes. */
export type PatchTarget = 'object' | 'status' | 'scale';

const conflictRetries = 5;

function patchTypeOrThrow(contentType: string | undefined): NonNullable<ReturnType<typeof patchTypeOf>> {
  const type = patchTypeOf(contentType);
  if (type !== undefined) return type;
  if ((contentType ?? '').startsWith('application/apply-patch')) {
    throw new ApiError('UnsupportedMediaType', 'server-side apply (application/apply-patch+yaml) is served on the object only, not on its status or scale: apply the object');
  }
  throw new ApiError('UnsupportedMediaType', `PATCH needs Content-Type application/json-patch+json, application/merge-patch+json or application/strategic-merge-patch+json, got ${JSON.stringify(contentType ?? '')}`);
}

/** Apply one patch to the current object (or its Scale), as the write would send it. */
function patched(kind: KindModule, target: PatchTarget, type: ReturnType<typeof patchTypeOrThrow>, current: ApiObject, patch: unknown): ApiObject {
  let out: unknown;
  try {
    if (target === 'scale') {
      const scale = applyPatch(type, scaleOf(kind.subresources.scale!, current), patch) as { spec?: { replicas?: unknown }; metadata?: { resourceVersion?: unknown } };
      const replicas = scale.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw new ApiError('Invalid', 'spec.replicas: must be a non-negative integer', { causes: [{ field: 'spec.replicas', message: 'must be greater than or equal to 0' }] });
      const next = withReplicas(kind.subresources.scale!, current, replicas);
      if (typeof scale.metadata?.resourceVersion === 'string') next.metadata.resourceVersion = scale.metadata.resourceVersion;
      return next;
    }
    out = applyPatch(type, current, patch);
  } catch (e) {
    if (e instanceof PatchError) throw new ApiError('Invalid', `the patch cannot be applied to ${kind.kind.toLowerCase()} "${current.metadata.name}": ${e.message}`);
    throw e;
  }
  const obj = out as ApiObject;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || typeof obj.metadata !== 'object' || obj.metadata === null) {
    throw new ApiError('Invalid', `the patch would leave ${kind.kind.toLowerCase()} "${current.metadata.name}" without metadata`);
  }
  if (obj.metadata.name !== current.metadata.name || obj.metadata.namespace !== current.metadata.namespace) {
    throw new ApiError('Invalid', 'metadata.name and metadata.namespace cannot be changed by a patch', { causes: [{ field: 'metadata.name', message: 'field is immutable' }] });
  }
  return obj;
}

/** Serve PATCH: answers the object (or Scale) as written. */
export async function servePatch(api: ApiClient, req: IncomingMessage, kind: KindModule, target: PatchTarget, name: string, namespace: string | undefined, dryRun: boolean): Promise<unknown> {
  const type = patchTypeOrThrow(req.headers['content-type']);
  if (target === 'scale' && kind.subresources.scale === undefined) throw new ApiError('NotFound', `${kind.resource} have no scale subresource`);
  const patch = await readJson(req);
  for (let attempt = 0; ; attempt++) {
    const current = await api.get(kind.resource, name, namespace);
    const next = patched(kind, target, type, current, patch);
    const pinned = next.metadata.resourceVersion !== undefined && next.metadata.resourceVersion !== current.metadata.resourceVersion;
    next.metadata.resourceVersion ??= current.metadata.resourceVersion;
    try {
      if (target === 'status') return await api.updateStatus(kind.resource, next);
      const written = await api.update(kind.resource, next, { dryRun });
      return target === 'scale' ? scaleOf(kind.subresources.scale!, written) : written;
    } catch (e) {
      if (pinned || attempt >= conflictRetries || !(e instanceof ApiError) || e.code !== 'Conflict') throw e;
    }
  }
}
