/**
 * Kubernetes' ResourceQuota admission: a create in a namespace with quotas is refused when it would
 * take a quota past its hard limit, with kube-apiserver's message; otherwise the quota's status.used
 * is charged by compare-and-swap at the quota's resourceVersion, so two creates racing for the last
 * unit cannot both pass (the loser re-reads and is measured again), on one server or several.
 */
import { ApiError } from '../../../api/errors.js';
import type { ApiObject } from '../../../api/meta.js';
import type { Pod } from '../../../api/schema/pod.js';
import type { ResourceQuota } from '../../../api/schema/tenancy.js';
import { kindModules } from '../../../api/kinds/index.js';
import { amountsOf, formatAmount, listOf, type Amounts } from '../../../api/resource-list.js';
import { containerRequests, measureUsage, usageOf } from '../../../api/quota-usage.js';
import type { ApiClient } from '../../../client/types.js';

/** The kind of the object admitted: its URL resource, group and kind. */
export interface AdmittedKind { resource: string; group: string; kind: string }

type QuotaApi = Pick<ApiClient, 'list' | 'updateStatus'>;

const attempts = 16;

const forbidden = (k: AdmittedKind, name: string, why: string): ApiError =>
  // kube-apiserver names the group resource: pods "x", deployments.apps "x".
  new ApiError('Forbidden', `${k.group === '' ? k.resource : `${k.resource}.${k.group}`} "${name}" is forbidden: ${why}`, { kind: k.kind, name });

const pairs = (names: readonly string[], amounts: Amounts): string => names.map((r) => `${r}=${formatAmount(r, amounts.get(r) ?? 0)}`).join(',');

/** Compute resources a quota names that every container must then state (Kubernetes: requests.cpu, limits.memory...). */
function mustSpecify(pod: Pod, hard: Amounts): string | undefined {
  const missing: string[] = [];
  for (const res of ['cpu', 'memory']) {
    for (const [kind, names] of [['limits', [`limits.${res}`]], ['requests', [`requests.${res}`, res]]] as const) {
      if (!names.some((n) => hard.has(n))) continue;
      const lacking = [...(pod.spec.initContainers ?? []), ...pod.spec.containers]
        .filter((c) => (kind === 'limits' ? c.resources?.limits?.[res] : containerRequests(c)[res]) === undefined)
        .map((c) => c.name);
      if (lacking.length > 0) missing.push(`${kind}.${res} for: ${lacking.join(',')}`);
    }
  }
  return missing.length > 0 ? missing.sort().join('; ') : undefined;
}

/** The quotas of NAMESPACE and their used amounts (status.used, or measured when the controller has not written it yet). */
async function usedOf(api: QuotaApi, q: ResourceQuota, namespace: string, hard: Amounts): Promise<Amounts> {
  const recorded = q.status?.used;
  if (recorded !== undefined && [...hard.keys()].every((r) => r in recorded)) return amountsOf(recorded);
  return measureUsage(async (resource, ns) => (await api.list(resource, ns)).items, namespace, hard.keys(), kindModules);
}

/**
 * Admit the create of OBJ (of kind K) against the quotas of its namespace, charging them unless DRYRUN.
 * Throws 403 Forbidden naming the quota, what was requested, used and limited.
 */
export async function admitQuota(api: QuotaApi, k: AdmittedKind, obj: ApiObject, dryRun: boolean, delta?: Amounts): Promise<void> {
  if (k.resource === 'events') return; // events are not counted: every write would pay for a quota list
  const namespace = obj.metadata.namespace ?? 'default';
  for (let attempt = 0; ; attempt++) {
    const quotas = (await api.list<ResourceQuota>('resourcequotas', namespace)).items.filter((q) => q.metadata.deletionTimestamp === undefined);
    if (quotas.length === 0) return;
    const requested = delta ?? usageOf(k.resource, k.group, obj);
    const charges: { quota: ResourceQuota; used: Amounts }[] = [];
    for (const quota of quotas.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      const hard = amountsOf(quota.spec?.hard);
      if (k.resource === 'pods' && delta === undefined) {
        const missing = mustSpecify(obj as Pod, hard);
        if (missing !== undefined) throw forbidden(k, obj.metadata.name, `failed quota: ${quota.metadata.name}: must specify ${missing}`);
      }
      const names = [...requested.keys()].filter((r) => hard.has(r) && (requested.get(r) ?? 0) > 0).sort();
      if (names.length === 0) continue;
      const used = await usedOf(api, quota, namespace, hard);
      const over = names.filter((r) => (used.get(r) ?? 0) + (requested.get(r) ?? 0) > (hard.get(r) ?? 0));
      if (over.length > 0) {
        throw forbidden(k, obj.metadata.name, `exceeded quota: ${quota.metadata.name}, requested: ${pairs(over, requested)}, used: ${pairs(over, used)}, limited: ${pairs(over, hard)}`);
      }
      const next = new Map(used);
      for (const r of hard.keys()) next.set(r, (used.get(r) ?? 0) + (names.includes(r) ? requested.get(r) ?? 0 : 0));
      charges.push({ quota, used: next });
    }
    if (dryRun || charges.length === 0) return;
    try {
      for (const { quota, used } of charges) {
        await api.updateStatus<ResourceQuota>('resourcequotas', { ...quota, status: { hard: { ...(quota.spec?.hard ?? {}) }, used: listOf(used) } });
      }
      return;
    } catch (e) {
      // Another create (or the controller) charged the quota meanwhile: measure again against its new state.
      if (e instanceof ApiError && e.code === 'Conflict' && attempt < attempts) continue;
      if (e instanceof ApiError && e.code === 'Conflict') throw new ApiError('Conflict', `Operation cannot be fulfilled on resourcequotas in namespace ${namespace}: too many concurrent creates; try again`);
      throw e;
    }
  }
}
