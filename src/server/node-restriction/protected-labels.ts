/**
 * Which labels a node may never set on its own Node: Kubernetes' NodeRestriction rules for the
 * kubernetes.io and k8s.io domains, the prefixes the issue names, and any an admin reserves.
 */

/** Reserved for admins whatever the flags say (lanternd server --node-protected-label-prefixes adds more). */
export const defaultProtectedLabelPrefixes: readonly string[] = ['node-role.kubernetes.io/', 'node-restriction.kubernetes.io/', 'node.lantern.dev/'];

// What kubelet may set under kubernetes.io / k8s.io (NodeRestriction's allowed list): well-known
// labels a node reports about itself, and the kubelet.kubernetes.io and node.kubernetes.io domains.
const kubeSelfLabels = new Set([
  'kubernetes.io/hostname', 'kubernetes.io/arch', 'kubernetes.io/os',
  'beta.kubernetes.io/arch', 'beta.kubernetes.io/os', 'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/zone', 'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/region',
]);
const kubeSelfDomains = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const inDomain = (domain: string, d: string): boolean => domain === d || domain.endsWith(`.${d}`);

/** Whether the key falls under the prefix: "example.com/" covers example.com and its subdomains; other prefixes match as text. */
export function underPrefix(key: string, prefix: string): boolean {
  const slash = key.indexOf('/');
  if (prefix.endsWith('/') && slash >= 0) return inDomain(key.slice(0, slash), prefix.slice(0, -1));
  return key.startsWith(prefix);
}

/** Why a node may not set the label key, or undefined when it may. */
export function protectedLabelRule(key: string, prefixes: readonly string[]): string | undefined {
  const hit = prefixes.find((p) => underPrefix(key, p));
  if (hit !== undefined) return `labels under ${hit} are reserved for admins (node restriction); an admin sets them with lcctl label node`;
  const slash = key.indexOf('/');
  const domain = slash >= 0 ? key.slice(0, slash) : '';
  if ((inDomain(domain, 'kubernetes.io') || inDomain(domain, 'k8s.io')) && !kubeSelfLabels.has(key) && !kubeSelfDomains.some((d) => inDomain(domain, d))) {
    return `a node may set only these labels under kubernetes.io and k8s.io: ${[...kubeSelfLabels].join(', ')} and those under ${kubeSelfDomains.map((d) => `${d}/`).join(', ')} (as Kubernetes' NodeRestriction)`;
  }
  return undefined;
}

/** Parse the flag's comma-separated prefixes; each must be a label-key prefix such as "example.com/". */
export function parsePrefixes(text: string): string[] {
  const out = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const p of out) {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[-A-Za-z0-9_.]*)?$/.test(p)) throw new Error(`invalid label prefix ${JSON.stringify(p)}: expected a DNS domain followed by "/", such as example.com/`);
  }
  return out.map((p) => (p.includes('/') ? p : `${p}/`));
}
