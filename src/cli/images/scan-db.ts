/** lcctl image scan db import FILE|DIR... and db status: the offline OSV database the scanner matches against. */
import { dbStatus, importDb } from '../../image/scan/db.js';
import type { Parsed } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import { scanDbDir } from './scan-db-dir.js';

/** Runs `db ARGS` with the flags `image scan` parsed (--db-dir, -o json). */
export async function runDb(p: Parsed, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const dir = scanDbDir(p);
  if (sub === 'import') {
    if (rest.length === 0) throw new UsageError('"lcctl image scan db import" requires at least 1 file or directory');
    try {
      const { imported, total } = await importDb(dir, rest);
      process.stdout.write(`Imported ${imported} advisories from ${rest.join(', ')}; the database holds ${total}\n`);
      return 0;
    } catch (e) {
      throw new CliError(`import refused, the database is unchanged: ${(e as Error).message}`);
    }
  }
  if (sub === 'status') {
    const s = await dbStatus(dir).catch((e: unknown) => { throw new CliError((e as Error).message); });
    if (p.str('output') === 'json') { process.stdout.write(`${JSON.stringify(s, null, 2)}\n`); return 0; }
    if (!s.importedAt) { process.stdout.write(`No database at ${s.path}: run "lcctl image scan db import FILE|DIR"\n`); return 0; }
    const lines = Object.entries(s.byEcosystem).sort(([a], [b]) => a.localeCompare(b)).map(([e, n]) => `  ${e.padEnd(12)} ${n}\n`).join('');
    process.stdout.write(`Database:   ${s.path}\nImported:   ${s.importedAt}\nAdvisories: ${s.total}\nBy ecosystem:\n${lines}`);
    return 0;
  }
  throw new UsageError(`"lcctl image scan db" requires import or status${sub ? `, not "${sub}"` : ''}`);
}
