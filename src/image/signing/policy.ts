/**
 * Which ClusterImagePolicies apply to an image and what they demand. A glob is matched as sigstore
 * policy-controller does: `*` within one path component, `**` across components; against the
 * reference as the pod wrote it and its normalised forms ("busybox" is also
 * "docker.io/library/busybox" and "index.docker.io/library/busybox"), with and without the tag.
 */
import type { ClusterImagePolicy } from '../../api/schema/cluster-image-policy.js';
import { parseReference } from '../reference.js';
import { loadPublicKey } from './keys.js';
import type { TrustedKey } from './verify.js';

function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') { re += '.*'; i++; } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The names an image reference is matched under. */
export function matchNames(image: string): string[] {
  const names = new Set([image]);
  try {
    const r = parseReference(image);
    const hosts = r.domain === 'docker.io' ? ['docker.io', 'index.docker.io'] : [r.domain];
    for (const h of hosts) {
      names.add(`${h}/${r.path}`);
      if (r.tag) names.add(`${h}/${r.path}:${r.tag}`);
      if (r.digest) names.add(`${h}/${r.path}@${r.digest}`);
    }
  } catch { /* an unparsable name is matched only as written */ }
  return [...names];
}

/** Whether one of the policy's globs matches image. */
export function policyMatches(policy: ClusterImagePolicy, image: string): boolean {
  const names = matchNames(image);
  return policy.spec.images.some((g) => { const re = globRegex(g.glob); return names.some((n) => re.test(n)); });
}

/** The policies (sorted by name) whose globs match image. */
export function policiesFor(policies: readonly ClusterImagePolicy[], image: string): ClusterImagePolicy[] {
  return policies.filter((p) => policyMatches(p, image)).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** A policy's authorities as keys (named "POLICY/AUTHORITY"); a key that does not load is an error naming it. */
export function policyKeys(policy: ClusterImagePolicy): TrustedKey[] {
  return policy.spec.authorities.flatMap((a, i) => {
    if (!a.key) return []; // keyless: keyless-policy.ts
    const name = `${policy.metadata.name}/${a.name ?? `authority-${i}`}`;
    return [{ name, key: loadPublicKey(a.key.data, `key of ClusterImagePolicy "${policy.metadata.name}" spec.authorities[${i}]`) }];
  });
}
