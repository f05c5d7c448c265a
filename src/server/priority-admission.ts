import type { ApiObject } from '../api/meta.js';
import type { Pod } from '../api/pod.js';
import { ApiError, invalid } from '../api/errors.js';
import type { PriorityClass } from '../api/schema/priority-class.js';
import { systemPriorityClasses } from '../api/kinds/priority-class.js';
import type { ApiClient } from '../client/types.js';
import { admitPodRuntimeClass } from './admission/runtime-class.js';
import { admitPodServiceAccount } from './admission/service-account.js';

type Reader = Pick<ApiClient, 'get' | 'list'>;

async function findClass(api: Reader, name: string): Promise<PriorityClass | undefined> {
  const system = systemPriorityClasses.find((c) => c.metadata.name === name);
  if (system) return system;
  try {
    return await api.get<PriorityClass>('priorityclasses', name);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return undefined;
    throw e;
  }
}

/**
 * Kubernetes' Priority admission: a pod's priorityClassName (or the globalDefault class when it names
 * none) becomes spec.priority. Departure: with no class at all an explicit spec.priority is kept.
 */
export async function admitPodPriority(api: Reader, pod: Pod): Promise<void> {
  const name = pod.spec.priorityClassName;
  let cls: PriorityClass | undefined;
  if (name !== undefined && name !== '') {
    cls = await findClass(api, name);
    if (!cls) {
      throw invalid('Pod', pod.metadata.name, [{ field: 'spec.priorityClassName', message: `no PriorityClass with name ${name} was found: create it first (lcctl apply -f) or name an existing one (lcctl get priorityclasses)` }]);
    }
  } else {
    cls = (await api.list<PriorityClass>('priorityclasses')).items.find((c) => c.globalDefault === true);
    if (cls) pod.spec.priorityClassName = cls.metadata.name;
  }
  if (!cls) return;
  if (pod.spec.priority !== undefined && pod.spec.priority !== cls.value) {
    throw invalid('Pod', pod.metadata.name, [{ field: 'spec.priority', message: `the integer value of priority (${pod.spec.priority}) must not be provided in the pod spec; priority admission computed ${cls.value} from the PriorityClass ${cls.metadata.name}` }]);
  }
  pod.spec.priority = cls.value;
}

const forbiddenSystemClass = (name: string, what: string): ApiError =>
  new ApiError('Forbidden', `priorityclasses.scheduling.k8s.io "${name}" is forbidden: this is a system priority class and ${what}; create a PriorityClass of your own (a name without the "system-" prefix) instead`, { kind: 'PriorityClass', name });

/** The built-in classes keep their value, globalDefault, preemptionPolicy and description (labels may change). */
function admitSystemClass(pc: PriorityClass): void {
  const builtin = systemPriorityClasses.find((c) => c.metadata.name === pc.metadata.name);
  if (!builtin) return;
  pc.description ??= builtin.description;
  const same = pc.value === builtin.value && (pc.globalDefault ?? false) === (builtin.globalDefault ?? false)
    && (pc.preemptionPolicy ?? 'PreemptLowerPriority') === (builtin.preemptionPolicy ?? 'PreemptLowerPriority')
    && pc.description === builtin.description;
  if (!same) throw forbiddenSystemClass(pc.metadata.name, 'its value, globalDefault, preemptionPolicy and description cannot be changed');
}

/** Deleting a built-in class is refused, as in Kubernetes. */
export function admitDelete(kind: string, name: string): void {
  if (kind === 'PriorityClass' && systemPriorityClasses.some((c) => c.metadata.name === name)) throw forbiddenSystemClass(name, 'cannot be deleted');
}

/** The built-ins stay as they are; at most one PriorityClass may be the global default. */
export async function admitPriorityClass(api: Reader, pc: PriorityClass): Promise<void> {
  admitSystemClass(pc);
  if (pc.globalDefault !== true) return;
  const other = (await api.list<PriorityClass>('priorityclasses')).items.find((c) => c.globalDefault === true && c.metadata.name !== pc.metadata.name);
  if (other) throw invalid('PriorityClass', pc.metadata.name, [{ field: 'globalDefault', message: `PriorityClass ${other.metadata.name} is already marked as default; only one default can exist` }]);
}

/** Admission steps the API runs on create and update, after validation and before defaults. */
export async function admit(api: Reader, obj: ApiObject, op: 'create' | 'update'): Promise<void> {
  // On update only a named class is resolved again (keeping the value), so a globalDefault created
  // later does not change the priority of running pods.
  if (obj.kind === 'Pod' && (op === 'create' || (obj as Pod).spec.priorityClassName)) await admitPodPriority(api, obj as Pod);
  else if (obj.kind === 'PriorityClass') await admitPriorityClass(api, obj as PriorityClass);
  if (obj.kind === 'Pod' && op === 'create') await admitPodRuntimeClass(api, obj as Pod);
  if (obj.kind === 'Pod' && op === 'create') await admitPodServiceAccount(api, obj as Pod);
}
