/** `lanternd server`'s Pod Security flag: the level of namespaces without a pod-security.kubernetes.io/enforce label. */
import { parseLevel, type PodSecurityDefaults } from '../server/admission/pod-security/policy.js';

/** The flag's type for parseFlags. */
export const podSecurityFlags = { 'pod-security-default': 'string' } as const;

/** Its line in `lanternd server --help`. */
export const podSecurityFlagsUsage = `  --pod-security-default LEVEL  Pod Security level enforced in namespaces without a
                        pod-security.kubernetes.io/enforce label: privileged, baseline (default) or restricted
                        (default and lantern-system are labelled privileged at creation)
`;

/** The defaults from the flags; an error names the flag and the accepted levels. */
export function podSecurityFromFlags(flags: Record<string, string | boolean | undefined>): PodSecurityDefaults {
  const text = String(flags['pod-security-default'] ?? 'baseline');
  const level = parseLevel(text);
  if (level === undefined) throw new Error(`--pod-security-default: unknown level ${JSON.stringify(text)}: expected privileged, baseline or restricted`);
  return { enforce: level };
}
