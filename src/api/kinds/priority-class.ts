import type { KindInfo } from './kind.js';
import { priorityClassModule } from './modules/scheduling.js';
import { HIGHEST_USER_PRIORITY, PriorityClassSchema, type PriorityClass } from '../schema/priority-class.js';
import type { FieldCause } from '../errors.js';
import { withRules } from './with-rules.js';

/** Classes that exist without being created, as in Kubernetes. */
export const systemPriorityClasses: readonly PriorityClass[] = [
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-cluster-critical' }, value: 2_000_000_000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-node-critical' }, value: 2_000_001_000, description: 'Used for system critical pods that must not be moved from their current node.' },
];

/** Whether name is one of the built-in system classes. */
export const isSystemPriorityClassName = (name: string): boolean => systemPriorityClasses.some((c) => c.metadata.name === name);

/** The PriorityClass kind (scheduling.k8s.io/v1, cluster-scoped). */
export const priorityClassKind: KindInfo<PriorityClass> = withRules(priorityClassModule, {
  schema: PriorityClassSchema,
  check(pc) {
    const out: FieldCause[] = [];
    // The built-ins pass here (the server stores them at start); admission keeps them as they are.
    const system = isSystemPriorityClassName(pc.metadata.name);
    if (pc.metadata.name.startsWith('system-') && !system) out.push({ field: 'metadata.name', message: `priority class names with the prefix "system-" are reserved for the system (the built-ins are ${systemPriorityClasses.map((c) => c.metadata.name).join(' and ')})` });
    if (pc.value > HIGHEST_USER_PRIORITY && !system) out.push({ field: 'value', message: `must not be greater than ${HIGHEST_USER_PRIORITY} (larger values are reserved for system classes)` });
    return out;
  },
  applyDefaults(pc) {
    pc.preemptionPolicy ??= 'PreemptLowerPriority';
    pc.globalDefault ??= false;
  },
  validateUpdate(oldObj, newObj) {
    return oldObj.value === newObj.value ? [] : [{ field: 'value', message: 'field is immutable: delete and re-create the class to change its value' }];
  },
});
