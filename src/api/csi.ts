/**
 * The CSI names the agent, the server's node restriction and lcctl share: the Node annotation where
 * a node lists its CSI drivers (as the kubelet writes it) and its reader.
 */

/** Kubernetes' Node annotation of the CSI node ids: {"driver name": "node id"}. */
export const CSI_NODE_ID_ANNOTATION = 'csi.volume.kubernetes.io/nodeid';

/** The drivers a Node's annotation lists (driver name -> node id); {} when absent or malformed. */
export function csiDriversOfNode(node: { metadata: { annotations?: Record<string, string> } }): Record<string, string> {
  const raw = node.metadata.annotations?.[CSI_NODE_ID_ANNOTATION];
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch { return {}; }
}

/** Which CSI call a secret is for (external-provisioner's StorageClass parameters and the PV's spec.csi refs). */
export type CsiSecretUse = 'provisioner' | 'controllerPublish' | 'nodeStage' | 'nodePublish' | 'controllerExpand' | 'nodeExpand';

/** The StorageClass parameter prefix of each use: PREFIX-name and PREFIX-namespace. */
export const CSI_SECRET_PARAMS: Readonly<Record<CsiSecretUse, string>> = {
  provisioner: 'csi.storage.k8s.io/provisioner-secret',
  controllerPublish: 'csi.storage.k8s.io/controller-publish-secret',
  nodeStage: 'csi.storage.k8s.io/node-stage-secret',
  nodePublish: 'csi.storage.k8s.io/node-publish-secret',
  controllerExpand: 'csi.storage.k8s.io/controller-expand-secret',
  nodeExpand: 'csi.storage.k8s.io/node-expand-secret',
};

/** A Secret named by namespace and name. */
export interface SecretRef { name: string; namespace: string }

/**
 * The secret a class names for one use, with external-provisioner's templates ${pvc.namespace},
 * ${pvc.name} and ${pv.name} filled from vars (a template left unfilled: undefined).
 */
export function classSecretRef(params: Record<string, string> | undefined, use: CsiSecretUse, vars: Record<string, string> = {}): SecretRef | undefined {
  const p = CSI_SECRET_PARAMS[use];
  const fill = (s: string | undefined): string | undefined => {
    if (s === undefined) return undefined;
    const out = s.replace(/\$\{(pvc\.namespace|pvc\.name|pv\.name)\}/g, (m, k: string) => vars[k] ?? m);
    return out.includes('${') ? undefined : out;
  };
  const name = fill(params?.[`${p}-name`]);
  const namespace = fill(params?.[`${p}-namespace`]);
  return name && namespace ? { name, namespace } : undefined;
}

/** The PV spec.csi field holding the secret of each use (provisioner's lives in PV annotations). */
export const PV_SECRET_FIELDS = {
  controllerPublish: 'controllerPublishSecretRef', nodeStage: 'nodeStageSecretRef', nodePublish: 'nodePublishSecretRef',
  controllerExpand: 'controllerExpandSecretRef', nodeExpand: 'nodeExpandSecretRef',
} as const;

/** external-provisioner's PV annotations naming the secret DeleteVolume needs. */
export const DELETION_SECRET_NAME_ANNOTATION = 'volume.kubernetes.io/provisioner-deletion-secret-name';
/** See DELETION_SECRET_NAME_ANNOTATION. */
export const DELETION_SECRET_NAMESPACE_ANNOTATION = 'volume.kubernetes.io/provisioner-deletion-secret-namespace';
