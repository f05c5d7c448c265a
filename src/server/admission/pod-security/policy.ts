/**
 * A namespace's Pod Security policy from its labels: `pod-security.kubernetes.io/enforce|warn|audit`
 * (a level) and `...-version` (a Kubernetes version or latest; every version is checked as latest).
 */
import type { Level } from './checks.js';

/** The three modes of Pod Security admission. */
export type Mode = 'enforce' | 'warn' | 'audit';

/** One mode's level and the version it names. */
export interface LevelVersion { level: Level; version: string }

/** A namespace's policy: a level for each mode. */
export type Policy = Record<Mode, LevelVersion>;

/** The label prefix of Pod Security admission. */
export const labelPrefix = 'pod-security.kubernetes.io/';

const levels: readonly Level[] = ['privileged', 'baseline', 'restricted'];
const versionPattern = /^(latest|v1\.(0|[1-9][0-9]*))$/;

/** LEVEL when it is one, else undefined. */
export const parseLevel = (text: string): Level | undefined => levels.find((l) => l === text);

/** The server's defaults for a namespace without labels (--pod-security-default; Kubernetes' are privileged, Lantern's baseline). */
export interface PodSecurityDefaults { enforce: Level; warn?: Level; audit?: Level }

/**
 * The policy LABELS give, DEFAULTS filling a mode without a label (warn and audit default to the
 * enforce level, as Kubernetes' unset modes behave for the default). An invalid level is read as
 * restricted, as Kubernetes does, so a typo never opens a namespace.
 */
export function policyOf(labels: Record<string, string> | undefined, defaults: PodSecurityDefaults): Policy {
  const mode = (m: Mode, fallback: Level): LevelVersion => {
    const text = labels?.[labelPrefix + m];
    const version = labels?.[`${labelPrefix}${m}-version`] ?? 'latest';
    const level = text === undefined ? fallback : parseLevel(text) ?? 'restricted';
    return { level, version: versionPattern.test(version) ? version : 'latest' };
  };
  const enforce = mode('enforce', defaults.enforce);
  return { enforce, warn: mode('warn', defaults.warn ?? enforce.level), audit: mode('audit', defaults.audit ?? enforce.level) };
}

/** What is wrong with the Pod Security labels of a namespace, for a warning when it is written. */
export function labelProblems(labels: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  for (const m of ['enforce', 'warn', 'audit'] as const) {
    const text = labels?.[labelPrefix + m];
    if (text !== undefined && parseLevel(text) === undefined) out.push(`${labelPrefix}${m}: unknown level ${JSON.stringify(text)}: expected privileged, baseline or restricted (restricted is used meanwhile)`);
    const version = labels?.[`${labelPrefix}${m}-version`];
    if (version !== undefined && !versionPattern.test(version)) out.push(`${labelPrefix}${m}-version: ${JSON.stringify(version)} is not a version: expected latest or v1.N (latest is used)`);
  }
  return out;
}
