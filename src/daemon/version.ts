import { parseVersion } from '../server/version-skew.js';

/** The Lantern version every component reports. */
export const VERSION = '0.1.0';

/**
 * This process's version: VERSION, or LANTERN_VERSION_OVERRIDE, a TEST AID that lets a test (and the
 * Ansible test) run a build as an older or newer agent or server to try the version skew policy.
 */
export function versionFromEnv(env: NodeJS.ProcessEnv): string {
  const override = env.LANTERN_VERSION_OVERRIDE;
  if (override === undefined || override === '') return VERSION;
  if (parseVersion(override) === undefined) throw new Error(`LANTERN_VERSION_OVERRIDE: ${JSON.stringify(override)} is not MAJOR.MINOR.PATCH (a test aid: unset it to report ${VERSION})`);
  return override;
}
