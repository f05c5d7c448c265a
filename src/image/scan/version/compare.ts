/** Which version order each OSV ecosystem uses. */
import { compareApk } from './apk.js';
import { compareDebian } from './dpkg.js';
import { comparePep440 } from './pep440.js';
import { compareRpm } from './rpm.js';
import { compareSemver } from './semver.js';

/** A version comparator: negative, 0 or positive. */
export type Compare = (a: string, b: string) => number;

const BY_ECOSYSTEM: Record<string, Compare> = {
  Debian: compareDebian,
  Ubuntu: compareDebian,
  Alpine: compareApk,
  npm: compareSemver,
  'crates.io': compareSemver,
  Go: compareSemver,
  PyPI: comparePep440,
  'Red Hat': compareRpm,
  'Rocky Linux': compareRpm,
  AlmaLinux: compareRpm,
  openSUSE: compareRpm,
  SUSE: compareRpm,
};

/** The comparator of an OSV ecosystem ("Debian:12" reads as "Debian"); undefined for one not supported. */
export function comparatorFor(ecosystem: string): Compare | undefined {
  return BY_ECOSYSTEM[ecosystem.split(':')[0]!];
}
