/**
 * The storage.k8s.io/v1 group: StorageClass. Each kind's module: names, scope, subresources,
 * fields, and where its table and describe view are.
 */
import type { StorageClass } from '../../schema/storage.js';
import { defineKind } from '../module.js';

/** The StorageClass kind (storage.k8s.io/v1, cluster-scoped): how claims of this class get their volumes. */
export const storageClassModule = defineKind<StorageClass>({
  kind: 'StorageClass', resource: 'storageclasses', singular: 'storageclass', shortNames: ['sc'], namespaced: false, group: 'storage.k8s.io', version: 'v1',
  subresources: { status: false },
  selectableFields: (sc) => ({ 'metadata.name': sc.metadata.name, provisioner: sc.provisioner }),
  table: async () => (await import('../../printers/storage.js')).storageClassTable,
});
