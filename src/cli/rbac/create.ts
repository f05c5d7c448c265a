/** lcctl create role|clusterrole|rolebinding|clusterrolebinding NAME ...: as kubectl create. */
import type { FlagSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { buildBinding, buildRole, splitValues } from './build.js';

const kinds = { role: 'roles', clusterrole: 'clusterroles', rolebinding: 'rolebindings', clusterrolebinding: 'clusterrolebindings' } as const;

/** The flags create role/rolebinding add to lcctl create (--group is create user's too). */
export const rbacCreateFlags: FlagSpec[] = [
  { name: 'verb', type: 'list', help: 'create role: verbs the rule allows (get,list or repeat)' },
  { name: 'resource', type: 'list', help: 'create role: resources the rule applies to (pods, deployments.apps, pods/log)' },
  { name: 'resource-name', type: 'list', help: 'create role: only these object names' },
  { name: 'non-resource-url', type: 'list', help: 'create clusterrole: URL paths the rule applies to (/metrics, /api/*)' },
  { name: 'role', type: 'string', help: 'create rolebinding: the Role to grant' },
  { name: 'clusterrole', type: 'string', help: 'create rolebinding|clusterrolebinding: the ClusterRole to grant' },
  { name: 'user', type: 'list', help: 'create rolebinding: a user to grant the role to (repeat for several)' },
  { name: 'serviceaccount', type: 'list', help: 'create rolebinding: a ServiceAccount NAMESPACE:NAME to grant the role to' },
];

/** Whether `lcctl create WHAT` is one of these. */
export const isRbacCreate = (what: string | undefined): boolean => what !== undefined && what in kinds;

/** Build and send the object; resolves with the exit status. */
export async function createRbac(p: Parsed): Promise<number> {
  const what = p.args[0] as keyof typeof kinds;
  const name = p.args[1];
  if (name === undefined) throw new UsageError(`NAME is required: lcctl create ${what} NAME ...`);
  const namespace = what === 'role' || what === 'rolebinding' ? p.str('namespace') || 'default' : undefined;
  const obj = what === 'role' || what === 'clusterrole'
    ? buildRole(name, namespace, { verbs: splitValues(p.list('verb')), resources: splitValues(p.list('resource')), resourceNames: splitValues(p.list('resource-name')), nonResourceURLs: splitValues(p.list('non-resource-url')) })
    : buildBinding(name, namespace, { role: p.str('role'), clusterRole: p.str('clusterrole'), users: splitValues(p.list('user')), groups: splitValues(p.list('group')), serviceAccounts: splitValues(p.list('serviceaccount')) });
  const dry = p.str('dry-run');
  await connect(p).create(kinds[what], obj, { dryRun: dry === 'server' || dry === 'client' });
  process.stdout.write(`${what}.rbac.authorization.k8s.io/${name} created${dry && dry !== 'none' ? ` (${dry} dry run)` : ''}\n`);
  return 0;
}
