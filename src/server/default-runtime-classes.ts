import { ApiError } from '../api/errors.js';
import type { RuntimeClass } from '../api/schema/runtime-class.js';
import type { ApiClient } from '../client/types.js';

/** The RuntimeClasses `lanternd server` stores at start: one per handler Lantern knows on Debian, named as it. */
export const defaultRuntimeClasses: readonly RuntimeClass[] = ['runc', 'runsc'].map((h) => ({
  apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: h, labels: { 'lantern.dev/default-runtime-class': 'true' } }, handler: h,
}));

/**
 * Stores the default classes when absent, so `lcctl run --runtime runsc` (spec.runtimeClassName runsc)
 * works on a new cluster; the admin may change or delete them (a deleted one is not made again until
 * the next start). Resolves with the names it created.
 */
export async function ensureDefaultRuntimeClasses(api: Pick<ApiClient, 'create'>): Promise<string[]> {
  const created: string[] = [];
  for (const rc of defaultRuntimeClasses) {
    try {
      await api.create<RuntimeClass>('runtimeclasses', structuredClone(rc) as RuntimeClass);
      created.push(rc.metadata.name);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
    }
  }
  return created;
}
