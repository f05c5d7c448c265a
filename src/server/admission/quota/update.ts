/**
 * ResourceQuota on updates, as kube-apiserver's evaluator: an update charges what it adds (a PVC's
 * requests.storage grown, a Service turned NodePort), checked and charged like a create; what it
 * frees is given back by the controller when it measures. Object counts never change on an update.
 */
import type { ApiObject } from '../../../api/meta.js';
import type { Amounts } from '../../../api/resource-list.js';
import { usageOf } from '../../../api/quota-usage.js';
import type { ApiClient } from '../../../client/types.js';
import { admitQuota, type AdmittedKind } from './admit.js';

/** The amounts NEXT charges beyond OLD (only growth; status and deletion are the stored object's). */
export function growthOf(k: AdmittedKind, old: ApiObject, next: ApiObject): Amounts {
  // The status subresource is not written by an update: judge the new spec with the stored status.
  const judged = { ...next, metadata: { ...next.metadata, deletionTimestamp: old.metadata.deletionTimestamp }, status: (old as { status?: unknown }).status } as ApiObject;
  const before = usageOf(k.resource, k.group, old);
  const out: Amounts = new Map();
  for (const [r, a] of usageOf(k.resource, k.group, judged)) {
    const grown = a - (before.get(r) ?? 0);
    if (grown > 0) out.set(r, grown);
  }
  return out;
}

const growable = new Set(['pods', 'persistentvolumeclaims', 'services']);

/** Admit the update of OBJ against its namespace's quotas: 403 naming the quota when its growth does not fit. */
export async function admitQuotaUpdate(api: Pick<ApiClient, 'get' | 'list' | 'updateStatus'>, k: AdmittedKind, obj: ApiObject, dryRun: boolean): Promise<void> {
  // Only these kinds charge amounts an update can change; the rest charge counts alone (no read spent on them).
  if (k.group !== '' || !growable.has(k.resource)) return;
  const namespace = obj.metadata.namespace ?? 'default';
  let old: ApiObject;
  try {
    old = await api.get<ApiObject>(k.resource, obj.metadata.name, namespace);
  } catch {
    return; // not there (the update will say NotFound) or unreadable: the store's answer decides
  }
  const grown = growthOf(k, old, obj);
  if (grown.size > 0) await admitQuota(api, k, obj, dryRun, grown);
}
