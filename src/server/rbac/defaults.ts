/**
 * The default ClusterRoles (cluster-admin, admin, edit, view: Kubernetes' rules, trimmed to the kinds
 * Lantern serves) and the ClusterRoleBinding cluster-admin to the group system:masters, stored at
 * start when missing (as kube-apiserver's bootstrap policy; an admin's later change is kept).
 */
import { ApiError } from '../../api/errors.js';
import type { ClusterRole, ClusterRoleBinding, PolicyRule } from '../../api/schema/rbac.js';
import type { ApiClient } from '../../client/types.js';

const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const all = [...read, ...write];

/** What view may read: everything a namespace holds but Secrets (and RBAC objects). */
const viewRules: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'pods/status', 'services', 'services/status', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'events', 'serviceaccounts', 'resourcequotas', 'resourcequotas/status', 'limitranges', 'namespaces', 'namespaces/status'], verbs: read },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status', 'daemonsets', 'daemonsets/status', 'controllerrevisions'], verbs: read },
  { apiGroups: ['batch'], resources: ['jobs', 'jobs/status', 'cronjobs', 'cronjobs/status'], verbs: read },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], verbs: read },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: read },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: read },
  { apiGroups: ['lantern.dev'], resources: ['podgroups', 'queues', 'workflows', 'networks'], verbs: read },
  { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: read },
];

/** What edit adds: writes of workloads, Secrets, and the pod streams (exec, attach, port-forward). */
const editRules: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'services', 'services/proxy', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'serviceaccounts', 'events'], verbs: write },
  { apiGroups: [''], resources: ['secrets'], verbs: all },
  { apiGroups: [''], resources: ['pods/eviction', 'serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: [''], resources: ['pods/stats'], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale', 'daemonsets'], verbs: write },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: write },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: write },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: write },
  { apiGroups: ['lantern.dev'], resources: ['podgroups', 'queues', 'workflows'], verbs: write },
  { apiGroups: ['lantern.dev'], resources: ['images'], verbs: ['use'] },
];

/** What admin adds: the namespace's Roles and RoleBindings (what it grants is still bounded by escalation prevention). */
const adminRules: PolicyRule[] = [
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: all },
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
];

const labels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

/** A default ClusterRole that also gathers the ClusterRoles labelled rbac.authorization.k8s.io/aggregate-to-NAME=true. */
function aggregated(name: string, rules: PolicyRule[]): ClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${name}`]: 'true' } }] },
    rules,
  };
}

/** The default ClusterRoles. */
export const defaultClusterRoles: readonly ClusterRole[] = [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cluster-admin', labels },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
  },
  aggregated('admin', [...viewRules, ...editRules, ...adminRules]),
  aggregated('edit', [...viewRules, ...editRules]),
  aggregated('view', viewRules),
];

/** cluster-admin for the group system:masters (a client certificate with O=system:masters is root). */
export const defaultClusterRoleBindings: readonly ClusterRoleBinding[] = [{
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'cluster-admin', labels },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
}];

/** Store the defaults that are missing; resolves with the names it created. */
export async function ensureDefaultRbac(api: Pick<ApiClient, 'create'>): Promise<string[]> {
  const created: string[] = [];
  const objects: [string, ClusterRole | ClusterRoleBinding][] = [
    ...defaultClusterRoles.map((r) => ['clusterroles', r] as [string, ClusterRole]),
    ...defaultClusterRoleBindings.map((b) => ['clusterrolebindings', b] as [string, ClusterRoleBinding]),
  ];
  for (const [resource, obj] of objects) {
    try {
      await api.create(resource, structuredClone(obj));
      created.push(`${resource}/${obj.metadata.name}`);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
    }
  }
  return created;
}
