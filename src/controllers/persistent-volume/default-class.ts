/** The default StorageClass `local-path`, stored at server start when absent (as k3s ships it). */
import type { StorageClass } from '../../api/schema/storage.js';
import { DEFAULT_CLASS_ANNOTATION, LOCAL_PATH_CLASS, LOCAL_PATH_PROVISIONER } from '../../api/storage.js';
import type { ApiClient } from '../../client/types.js';
import { isApiError } from '../../client/kit/index.js';

/** local-path: rancher.io/local-path, WaitForFirstConsumer, Delete, expansion allowed (a directory has no fixed size). */
export const defaultStorageClass: StorageClass = {
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
  metadata: { name: LOCAL_PATH_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
  provisioner: LOCAL_PATH_PROVISIONER, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true,
};

/** Create local-path unless a class of that name exists (an admin's edit or deletion of the annotation is kept). */
export async function ensureDefaultStorageClass(api: Pick<ApiClient, 'create'>): Promise<void> {
  await api.create<StorageClass>('storageclasses', structuredClone(defaultStorageClass)).catch((e: unknown) => { if (!isApiError(e, 'AlreadyExists')) throw e; });
}
