/**
 * Kubernetes' ServiceAccount admission, the part about registries: a pod created with no
 * imagePullSecrets gets its ServiceAccount's (spec.serviceAccountName, else "default"), so a
 * namespace's private registry credentials reach its pods without every pod naming them.
 * Departure: a ServiceAccount that does not exist (yet) is not an error here — the "default" one is
 * made by a controller just after its namespace, and a pod created in between must still be admitted.
 */
import { ApiError } from '../../api/errors.js';
import type { Pod } from '../../api/pod.js';
import { defaultServiceAccount, type ServiceAccount } from '../../api/schema/service-account.js';
import type { ApiClient } from '../../client/types.js';

type Reader = Pick<ApiClient, 'get'>;

/** Merges the ServiceAccount's imagePullSecrets into a pod being created that names none. */
export async function admitPodServiceAccount(api: Reader, pod: Pod): Promise<void> {
  if ((pod.spec.imagePullSecrets ?? []).length > 0) return;
  const name = pod.spec.serviceAccountName || defaultServiceAccount;
  let sa: ServiceAccount;
  try {
    sa = await api.get<ServiceAccount>('serviceaccounts', name, pod.metadata.namespace ?? 'default');
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return;
    throw e;
  }
  const secrets = (sa.imagePullSecrets ?? []).filter((s) => s.name !== '');
  if (secrets.length > 0) pod.spec.imagePullSecrets = secrets.map((s) => ({ name: s.name }));
}
