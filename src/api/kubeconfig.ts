/**
 * A kubeconfig (kubectl's and the Kubernetes client libraries' config file) for a Lantern server:
 * one cluster (the server's URL and CA), one user (a bearer token), one context, current. kubectl sends
 * a bearer token only over HTTPS, so the server's default TLS is what makes it work.
 */

/** What a kubeconfig names. */
export interface KubeconfigInput {
  server: string;
  token: string;
  /** The cluster CA in PEM (absent: the system's roots). */
  caPem?: string;
  /** The cluster, user and context name (default "lantern"). */
  name?: string;
}

/** The kubeconfig text (YAML; plain scalars only, so no YAML library is needed to write it). */
export function kubeconfigYaml(input: KubeconfigInput): string {
  const name = input.name ?? 'lantern';
  const quote = (s: string): string => JSON.stringify(s);
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${quote(name)}`,
    '  cluster:',
    `    server: ${quote(input.server)}`,
    ...(input.caPem === undefined ? [] : [`    certificate-authority-data: ${Buffer.from(input.caPem).toString('base64')}`]),
    'users:',
    `- name: ${quote(`${name}-admin`)}`,
    '  user:',
    `    token: ${quote(input.token)}`,
    'contexts:',
    `- name: ${quote(name)}`,
    '  context:',
    `    cluster: ${quote(name)}`,
    `    user: ${quote(`${name}-admin`)}`,
    `current-context: ${quote(name)}`,
    'preferences: {}',
  ];
  return lines.join('\n') + '\n';
}
