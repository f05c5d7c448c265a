/**
 * Kubernetes' LimitRanger admission: containers without requests or limits get the namespace's
 * defaults (`defaultRequest`, `default`), then every container, pod and claim is held to `min`,
 * `max` and `maxLimitRequestRatio`, refused with kube-apiserver's messages.
 */
import { ApiError } from '../../../api/errors.js';
import type { ApiObject } from '../../../api/meta.js';
import type { Container, Pod } from '../../../api/schema/pod.js';
import type { PersistentVolumeClaim } from '../../../api/schema/storage.js';
import type { LimitRange, LimitRangeItem, ResourceList } from '../../../api/schema/tenancy.js';
import { amountOf, formatAmount } from '../../../api/resource-list.js';
import { containerRequests } from '../../../api/quota-usage.js';
import type { ApiClient } from '../../../client/types.js';

/** Fill in what CONTAINER does not state from a Container item's defaults (limits first: a stated limit is also the request). */
export function applyContainerDefaults(c: Container, item: LimitRangeItem): void {
  const limits = { ...(c.resources?.limits ?? {}) };
  const requests = { ...(c.resources?.requests ?? {}) };
  for (const [r, q] of Object.entries(item.defaultRequest ?? item.default ?? {})) {
    if (requests[r] === undefined && limits[r] === undefined) requests[r] = q;
  }
  for (const [r, q] of Object.entries(item.default ?? {})) limits[r] ??= q;
  if (Object.keys(limits).length === 0 && Object.keys(requests).length === 0) return;
  c.resources = {
    ...(Object.keys(requests).length > 0 ? { requests } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
  };
}

type Stated = { value: number; text: string } | undefined;
const stated = (r: string, q: string | number | undefined): Stated => {
  if (q === undefined) return undefined;
  const value = amountOf(r, q);
  return value === undefined ? undefined : { value, text: String(q) };
};

/** The bounds of ITEM broken by one object's REQUEST and LIMIT lookups, in Kubernetes' words. */
export function boundsViolations(item: LimitRangeItem, what: string, request: (r: string) => Stated, limit: (r: string) => Stated): string[] {
  const out: string[] = [];
  for (const [r, q] of Object.entries(item.min ?? {})) {
    const min = amountOf(r, q) ?? 0;
    const req = request(r);
    if (req === undefined) out.push(`minimum ${r} usage per ${what} is ${String(q)}.  No request is specified`);
    else if (req.value < min) out.push(`minimum ${r} usage per ${what} is ${String(q)}, but request is ${req.text}`);
  }
  for (const [r, q] of Object.entries(item.max ?? {})) {
    const max = amountOf(r, q) ?? 0;
    const lim = what === 'PersistentVolumeClaim' ? request(r) : limit(r);
    const word = what === 'PersistentVolumeClaim' ? 'request' : 'limit';
    if (lim === undefined) out.push(`maximum ${r} usage per ${what} is ${String(q)}.  No ${word} is specified`);
    else if (lim.value > max) out.push(`maximum ${r} usage per ${what} is ${String(q)}, but ${word} is ${lim.text}`);
  }
  for (const [r, q] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    const req = request(r); const lim = limit(r);
    if (req === undefined) out.push(`${r} max limit to request ratio per ${what} is ${String(q)}, but no request is specified`);
    else if (lim === undefined) out.push(`${r} max limit to request ratio per ${what} is ${String(q)}, but no limit is specified`);
    else if (req.value > 0 && lim.value / req.value > Number(q)) out.push(`${r} max limit to request ratio per ${what} is ${String(q)}, but provided ratio is ${(lim.value / req.value).toFixed(6)}`);
  }
  return out;
}

/** The pod's summed requests or limits of R over its containers, or undefined when some container lacks it (as Kubernetes requires for Pod items). */
function podSum(pod: Pod, r: string, of: (c: Container) => ResourceList): Stated {
  let total = 0;
  for (const c of pod.spec.containers) {
    const s = stated(r, of(c)[r]);
    if (s === undefined) return undefined;
    total += s.value;
  }
  return { value: total, text: formatAmount(r, total) };
}

/** Apply LIMITRANGES to POD (defaults, in place) and list what breaks their bounds. */
export function limitPod(pod: Pod, limitRanges: readonly LimitRange[]): string[] {
  const items = limitRanges.flatMap((lr) => lr.spec.limits);
  const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  for (const item of items) if (item.type === 'Container') for (const c of containers) applyContainerDefaults(c, item);
  const out: string[] = [];
  for (const item of items) {
    if (item.type === 'Container') {
      for (const c of containers) out.push(...boundsViolations(item, 'Container', (r) => stated(r, containerRequests(c)[r]), (r) => stated(r, c.resources?.limits?.[r])));
    } else if (item.type === 'Pod') {
      out.push(...boundsViolations(item, 'Pod', (r) => podSum(pod, r, containerRequests), (r) => podSum(pod, r, (c) => c.resources?.limits ?? {})));
    }
  }
  return out;
}

/** List what breaks the PersistentVolumeClaim items of LIMITRANGES (storage min/max). */
export function limitClaim(claim: PersistentVolumeClaim, limitRanges: readonly LimitRange[]): string[] {
  const out: string[] = [];
  for (const item of limitRanges.flatMap((lr) => lr.spec.limits)) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    out.push(...boundsViolations(item, 'PersistentVolumeClaim', (r) => stated(r, claim.spec.resources?.requests?.[r as 'storage']), (r) => stated(r, claim.spec.resources?.limits?.[r as 'storage'])));
  }
  return out;
}

/** LimitRanger on a create of a pod or claim: defaults applied to OBJ, 403 Forbidden listing every broken bound. */
export async function admitLimitRange(api: Pick<ApiClient, 'list'>, resource: string, obj: ApiObject): Promise<void> {
  if (resource !== 'pods' && resource !== 'persistentvolumeclaims') return;
  const ranges = (await api.list<LimitRange>('limitranges', obj.metadata.namespace ?? 'default')).items;
  if (ranges.length === 0) return;
  const broken = resource === 'pods' ? limitPod(obj as Pod, ranges) : limitClaim(obj as PersistentVolumeClaim, ranges);
  if (broken.length === 0) return;
  const why = broken.length === 1 ? broken[0] ?? '' : `[${broken.join(', ')}]`;
  throw new ApiError('Forbidden', `${resource} "${obj.metadata.name}" is forbidden: ${why}`, { kind: resource === 'pods' ? 'Pod' : 'PersistentVolumeClaim', name: obj.metadata.name });
}
