/**
 * POST pods/NAME/eviction (policy/v1 Eviction, as `kubectl drain` sends it, in protobuf or JSON):
 * deletes the pod with the Eviction's deleteOptions (grace period, preconditions). Lantern has no
 * PodDisruptionBudgets, so an eviction is never refused for one (never a 429): it is a delete.
 * Who may: chain/authorize.ts checks `create pods/eviction` against authz.ts (the admin alone).
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { ApiObject } from '../../api/meta.js';
import type { ApiClient } from '../../client/types.js';
import { readObject } from './body.js';

/** What an Eviction body may carry that Lantern acts on. */
interface Eviction {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown } | null;
  deleteOptions?: { gracePeriodSeconds?: unknown; preconditions?: { uid?: unknown; resourceVersion?: unknown } | null } | null;
}

/** Evict the pod: validate the body, check preconditions, delete. Answers the Status kube-apiserver does. */
export async function serveEviction(api: ApiClient, req: IncomingMessage, namespace: string, name: string): Promise<Record<string, unknown>> {
  const body = (await readObject(req)) as Eviction;
  if (body.kind !== undefined && body.kind !== 'Eviction') throw new ApiError('BadRequest', `kind: expected Eviction (policy/v1), got ${JSON.stringify(body.kind)}`);
  const named = body.metadata?.name;
  if (named !== undefined && named !== name) throw new ApiError('BadRequest', `metadata.name ${JSON.stringify(named)} does not match the pod in the URL (${name})`);
  const grace = body.deleteOptions?.gracePeriodSeconds;
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0)) {
    throw new ApiError('Invalid', 'deleteOptions.gracePeriodSeconds: must be a non-negative integer', { causes: [{ field: 'deleteOptions.gracePeriodSeconds', message: 'must be a non-negative integer' }] });
  }
  const pre = body.deleteOptions?.preconditions;
  if (pre?.uid !== undefined || pre?.resourceVersion !== undefined) {
    const pod = await api.get<ApiObject>('pods', name, namespace);
    if ((pre.uid !== undefined && pre.uid !== pod.metadata.uid) || (pre.resourceVersion !== undefined && pre.resourceVersion !== pod.metadata.resourceVersion)) {
      throw new ApiError('Conflict', `the pod "${name}" is not the one the eviction names (its uid or resourceVersion changed)`);
    }
  }
  await api.delete('pods', name, namespace, { gracePeriodSeconds: typeof grace === 'number' ? grace : undefined });
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}
