/** Names and groups of the identities server/identity makes, as Kubernetes spells them. */

/** The group every authenticated user is in. */
export const authenticatedGroup = 'system:authenticated';

/** The user name of a ServiceAccount. */
export const serviceAccountUser = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;

/** A ServiceAccount's groups: all ServiceAccounts, those of its namespace, and every authenticated user. */
export const serviceAccountGroups = (namespace: string): string[] => ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, authenticatedGroup];

/** User and group names `lcctl create user` accepts: printable, no separators openssl or YAML would read. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** Why NAME cannot be a user (or group) name; undefined when it can. `system:` names are the cluster's own. */
export function userNameProblem(name: string, what: 'user' | 'group'): string | undefined {
  if (!NAME.test(name)) return `${what} name ${JSON.stringify(name)} must be 1-128 letters, digits, '.', '_', '@' or '-', starting with a letter or digit`;
  return undefined;
}
