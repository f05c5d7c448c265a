/** Keeps an RbacIndex in step with the cluster: one shared informer per RBAC kind feeds it. */
import type { InformerFactory } from '../../client/kit/index.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../../api/schema/rbac.js';
import type { RbacIndex } from './index-store.js';

/** Follow roles, clusterroles, rolebindings and clusterrolebindings into INDEX; resolves once all four are listed. */
export async function followRbac(informers: InformerFactory, index: RbacIndex): Promise<void> {
  const roleHandlers = { onAdd: (r: Role | ClusterRole) => index.putRole(r), onUpdate: (_o: Role | ClusterRole, r: Role | ClusterRole) => index.putRole(r), onDelete: (r: Role | ClusterRole) => index.deleteRole(r) };
  const bindingHandlers = {
    onAdd: (b: RoleBinding | ClusterRoleBinding) => index.putBinding(b),
    onUpdate: (_o: RoleBinding | ClusterRoleBinding, b: RoleBinding | ClusterRoleBinding) => index.putBinding(b),
    onDelete: (b: RoleBinding | ClusterRoleBinding) => index.deleteBinding(b),
  };
  const roles = informers.informer<Role>('roles');
  const clusterRoles = informers.informer<ClusterRole>('clusterroles');
  const bindings = informers.informer<RoleBinding>('rolebindings');
  const clusterBindings = informers.informer<ClusterRoleBinding>('clusterrolebindings');
  roles.addHandler(roleHandlers);
  clusterRoles.addHandler(roleHandlers);
  bindings.addHandler(bindingHandlers);
  clusterBindings.addHandler(bindingHandlers);
  await Promise.all([roles.start(), clusterRoles.start(), bindings.start(), clusterBindings.start()]);
}
