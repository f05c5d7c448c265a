/**
 * The client config `lcctl create user` prints: one file that both lcctl (LANTERN_CONFIG reads its
 * top-level server/caData/token or clientCertificateData/clientKeyData keys) and kubectl
 * (--kubeconfig: a kubeconfig; unknown top-level keys are ignored) accept.
 */

/** What a user config carries: the server, its CA, and one credential (a token, or a certificate with its key). */
export interface UserConfigInput { server: string; user: string; caPem: string; token?: string; cert?: string; key?: string }

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const q = (s: string): string => JSON.stringify(s);

/** The config text (YAML, plain scalars, so neither side needs more than a line reader). */
export function userConfigYaml(c: UserConfigInput): string {
  const cred = c.token !== undefined
    ? { lantern: [`token: ${c.token}`], kube: [`    token: ${q(c.token)}`] }
    : { lantern: [`clientCertificateData: ${b64(c.cert ?? '')}`, `clientKeyData: ${b64(c.key ?? '')}`], kube: [`    client-certificate-data: ${b64(c.cert ?? '')}`, `    client-key-data: ${b64(c.key ?? '')}`] };
  return [
    `# Lantern client config for user ${c.user}: LANTERN_CONFIG=FILE lcctl ..., or kubectl --kubeconfig FILE ...`,
    `server: ${c.server}`,
    `caData: ${b64(c.caPem)}`,
    ...cred.lantern,
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lantern',
    '  cluster:',
    `    server: ${q(c.server)}`,
    `    certificate-authority-data: ${b64(c.caPem)}`,
    'users:',
    `- name: ${q(c.user)}`,
    '  user:',
    ...cred.kube,
    'contexts:',
    `- name: ${q(`${c.user}@lantern`)}`,
    '  context:',
    '    cluster: lantern',
    `    user: ${q(c.user)}`,
    `current-context: ${q(`${c.user}@lantern`)}`,
    'preferences: {}',
    '',
  ].join('\n');
}
