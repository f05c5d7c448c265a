/** `lanternd server`'s scan-on-push flags: scan images pushed to the built-in registry, against which database. */
import path from 'node:path';

/** The flags' types for parseFlags. */
export const scanFlags = { 'scan-on-push': 'boolean', 'scan-db-dir': 'string' } as const;

/** Their lines in `lanternd server --help`. */
export const scanFlagsUsage = `  --scan-on-push        scan each image pushed to the built-in registry in the background (lcctl image
                        inspect shows the counts per severity); off by default
  --scan-db-dir DIR     the OSV database scans use (default DATA_DIR/scan-db; fill it with
                        lcctl image scan db import --db-dir DIR FILE)
`;

/** Scan on push: off, or on with its database directory. */
export interface ScanOnPushConfig { dbDir: string }

/** The setting from the flags (undefined: off). */
export function scanFromFlags(flags: Record<string, string | boolean | undefined>, dataDir: string): ScanOnPushConfig | undefined {
  if (flags['scan-on-push'] !== true) {
    if (flags['scan-db-dir'] !== undefined) throw new Error('--scan-db-dir: only meaningful with --scan-on-push');
    return undefined;
  }
  return { dbDir: path.resolve(typeof flags['scan-db-dir'] === 'string' ? flags['scan-db-dir'] : path.join(dataDir, 'scan-db')) };
}
