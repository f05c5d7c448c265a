import { ApiError } from '../api/errors.js';
import type { PriorityClass } from '../api/schema/priority-class.js';
import { systemPriorityClasses } from '../api/kinds/priority-class.js';
import type { ApiClient } from '../client/types.js';

/**
 * Stores the built-in classes (system-cluster-critical, system-node-critical) when absent, as
 * kube-apiserver does at start, so they are listed like any class. Resolves with the names it created.
 */
export async function ensureSystemPriorityClasses(api: Pick<ApiClient, 'create'>): Promise<string[]> {
  const created: string[] = [];
  for (const builtin of systemPriorityClasses) {
    try {
      await api.create<PriorityClass>('priorityclasses', structuredClone(builtin) as PriorityClass);
      created.push(builtin.metadata.name);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
    }
  }
  return created;
}
