/** Where lcctl keeps its offline vulnerability database: --db-dir, LANTERN_SCAN_DB_DIR, else ~/.lantern/scan-db. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FlagSpec, Parsed } from '../args.js';

/** The --db-dir flag. */
export const dbDirFlag: FlagSpec = { name: 'db-dir', type: 'string', help: 'Vulnerability database directory (env LANTERN_SCAN_DB_DIR, default ~/.lantern/scan-db)', value: 'dir' };

/** The directory this call reads and writes. */
export function scanDbDir(p: Parsed): string {
  return p.str('db-dir') || process.env.LANTERN_SCAN_DB_DIR || join(process.env.HOME ?? homedir(), '.lantern', 'scan-db');
}
