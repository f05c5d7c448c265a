/**
 * Kubernetes' RuntimeClass admission, plus a namespace's required class: a pod's runtimeClassName must
 * name an existing RuntimeClass, whose overhead.podFixed becomes spec.overhead (counted in the pod's
 * requests) and whose scheduling is merged into nodeSelector and tolerations. A namespace labelled
 * `lantern.dev/required-runtime-class: NAME` gives NAME to pods that name none and refuses any other.
 */
import { ApiError, invalid } from '../../api/errors.js';
import type { Pod } from '../../api/pod.js';
import type { ApiObject } from '../../api/meta.js';
import type { RuntimeClass } from '../../api/schema/runtime-class.js';
import type { ApiClient } from '../../client/types.js';

/** The Namespace label that makes every pod in it run under one RuntimeClass. */
export const REQUIRED_RUNTIME_CLASS_LABEL = 'lantern.dev/required-runtime-class';

type Reader = Pick<ApiClient, 'get'>;

async function getOrUndefined<T extends ApiObject>(api: Reader, resource: string, name: string): Promise<T | undefined> {
  try {
    return await api.get<T>(resource, name);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return undefined;
    throw e;
  }
}

/** The class a namespace requires, if any (a namespace that does not exist requires none). */
async function requiredClass(api: Reader, namespace: string): Promise<string | undefined> {
  const ns = await getOrUndefined<ApiObject>(api, 'namespaces', namespace).catch(() => undefined);
  const v = ns?.metadata.labels?.[REQUIRED_RUNTIME_CLASS_LABEL];
  return v === undefined || v === '' ? undefined : v;
}

/** Admits a pod being created (before defaults); throws Forbidden or Invalid naming the field. */
export async function admitPodRuntimeClass(api: Reader, pod: Pod): Promise<void> {
  const namespace = pod.metadata.namespace ?? 'default';
  const required = await requiredClass(api, namespace);
  if (required !== undefined) {
    const asked = pod.spec.runtimeClassName;
    if (asked === undefined || asked === '') pod.spec.runtimeClassName = required;
    else if (asked !== required) {
      throw new ApiError('Forbidden', `pods "${pod.metadata.name}" is forbidden: namespace ${namespace} requires RuntimeClass "${required}" (label ${REQUIRED_RUNTIME_CLASS_LABEL}), not "${asked}": leave spec.runtimeClassName out or set it to "${required}"`, { kind: 'Pod', name: pod.metadata.name });
    }
  }
  const name = pod.spec.runtimeClassName;
  if (name === undefined || name === '') return;
  const rc = await getOrUndefined<RuntimeClass>(api, 'runtimeclasses', name);
  if (!rc) {
    throw new ApiError('Forbidden', `pods "${pod.metadata.name}" is forbidden: pod rejected: RuntimeClass "${name}" not found: create it (lcctl apply -f, kind RuntimeClass) or name an existing one (lcctl get runtimeclasses)`, { kind: 'Pod', name: pod.metadata.name });
  }
  const causes = [...mergeOverhead(pod, rc), ...mergeScheduling(pod, rc)];
  if (causes.length) throw invalid('Pod', pod.metadata.name, causes);
}

function mergeOverhead(pod: Pod, rc: RuntimeClass): Array<{ field: string; message: string }> {
  const fixed = rc.overhead?.podFixed;
  if (!fixed) return [];
  if (pod.spec.overhead !== undefined && JSON.stringify(pod.spec.overhead) !== JSON.stringify(fixed)) {
    return [{ field: 'spec.overhead', message: `must be left out: RuntimeClass ${rc.metadata.name} sets it to ${JSON.stringify(fixed)}` }];
  }
  pod.spec.overhead = { ...fixed };
  return [];
}

function mergeScheduling(pod: Pod, rc: RuntimeClass): Array<{ field: string; message: string }> {
  const sel = rc.scheduling?.nodeSelector ?? {};
  const out: Array<{ field: string; message: string }> = [];
  const merged = { ...(pod.spec.nodeSelector ?? {}) };
  for (const [k, v] of Object.entries(sel)) {
    if (merged[k] !== undefined && merged[k] !== v) out.push({ field: `spec.nodeSelector[${k}]`, message: `conflicts with RuntimeClass ${rc.metadata.name}'s scheduling.nodeSelector (${k}=${v})` });
    else merged[k] = v;
  }
  if (Object.keys(sel).length) pod.spec.nodeSelector = merged;
  const tolerations = rc.scheduling?.tolerations ?? [];
  if (tolerations.length) {
    const have = pod.spec.tolerations ?? [];
    const key = (t: object): string => JSON.stringify(t);
    pod.spec.tolerations = [...have, ...tolerations.filter((t) => !have.some((h) => key(h) === key(t)))];
  }
  return out;
}
