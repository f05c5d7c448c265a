/**
 * Which Secrets a node may read for the CSI drivers it hosts (its Node's csi.volume.kubernetes.io/nodeid):
 * those a StorageClass of such a driver names in its csi.storage.k8s.io/*-secret-name/-namespace
 * parameters (templates filled for that class's claims), and those a PV of such a driver names
 * (spec.csi.*SecretRef, or the provisioner's deletion-secret annotations). Kubernetes gives the same
 * secrets to the CSI sidecars' service account and to the kubelet of a pod's node.
 */
import {
  CSI_SECRET_PARAMS, DELETION_SECRET_NAME_ANNOTATION, DELETION_SECRET_NAMESPACE_ANNOTATION, PV_SECRET_FIELDS,
  classSecretRef, csiDriversOfNode, type CsiSecretUse, type SecretRef,
} from '../../api/csi.js';
import type { Node } from '../../api/node.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/schema/storage.js';
import type { ApiClient } from '../../client/types.js';

const uses = Object.keys(CSI_SECRET_PARAMS) as CsiSecretUse[];
const same = (a: SecretRef | undefined, name: string, namespace: string): boolean => a?.name === name && a.namespace === namespace;

/** True when a CSI driver hosted by node needs the Secret namespace/name (see the file comment). */
export async function csiSecretOfNode(api: ApiClient, node: string, name: string, namespace: string | undefined): Promise<boolean> {
  const ns = namespace ?? 'default';
  const hosted = csiDriversOfNode(await api.get<Node>('nodes', node).catch(() => ({ metadata: {} })));
  if (Object.keys(hosted).length === 0) return false;
  const classes = (await api.list<StorageClass>('storageclasses')).items.filter((sc) => sc.provisioner in hosted);
  let claims: PersistentVolumeClaim[] | undefined;
  for (const sc of classes) {
    if (uses.some((u) => same(classSecretRef(sc.parameters, u), name, ns))) return true;
    const templated = Object.entries(sc.parameters ?? {}).some(([k, v]) => k.startsWith('csi.storage.k8s.io/') && v.includes('${'));
    if (!templated) continue;
    claims ??= (await api.list<PersistentVolumeClaim>('persistentvolumeclaims')).items;
    for (const c of claims.filter((x) => x.spec.storageClassName === sc.metadata.name)) {
      const vars = { 'pvc.namespace': c.metadata.namespace ?? 'default', 'pvc.name': c.metadata.name, 'pv.name': `pvc-${c.metadata.uid ?? ''}` };
      if (uses.some((u) => same(classSecretRef(sc.parameters, u, vars), name, ns))) return true;
    }
  }
  for (const pv of (await api.list<PersistentVolume>('persistentvolumes')).items) {
    const csi = pv.spec.csi;
    if (!csi || !(csi.driver in hosted)) continue;
    for (const field of Object.values(PV_SECRET_FIELDS)) {
      const r = csi[field];
      if (r && same({ name: r.name, namespace: r.namespace ?? 'default' }, name, ns)) return true;
    }
    const a = pv.metadata.annotations ?? {};
    if (a[DELETION_SECRET_NAME_ANNOTATION] === name && a[DELETION_SECRET_NAMESPACE_ANNOTATION] === ns) return true;
  }
  return false;
}
