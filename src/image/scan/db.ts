/**
 * The offline vulnerability database: OSV records imported from files, a directory or a zip (osv.dev's
 * all.zip), kept as one JSON file in a directory the caller chooses (lcctl: ~/.lantern/scan-db).
 */
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOsv, OsvError } from './osv.js';
import type { Advisory } from './types.js';
import { isZip, readZip } from './zip.js';

const DB_FILE = 'advisories.json';

/** The stored database: when it was last imported and every advisory. */
export interface StoredDb { version: 1; importedAt: string; sources: string[]; advisories: Advisory[] }

/** What `db status` prints. */
export interface DbStatus { path: string; importedAt?: string; total: number; byEcosystem: Record<string, number>; sources: string[] }

function parseJsonText(text: Buffer, file: string): unknown {
  try { return JSON.parse(text.toString('utf8')) as unknown; } catch (e) { throw new OsvError(file, '(file)', `not JSON (${(e as Error).message})`); }
}

// A file may hold one record or an array of records (several exporters write arrays).
function recordsOf(text: Buffer, file: string): Advisory[] {
  const v = parseJsonText(text, file);
  return Array.isArray(v) ? v.map((r, i) => parseOsv(r, `${file}[${i}]`)) : [parseOsv(v, file)];
}

/** Reads every OSV record under `source` (a .json file, a zip, or a directory of them); nothing is stored. */
export async function readSource(source: string): Promise<Advisory[]> {
  const st = await stat(source).catch(() => { throw new Error(`${source}: no such file or directory`); });
  if (st.isDirectory()) {
    const out: Advisory[] = [];
    for (const name of (await readdir(source)).sort()) {
      const p = join(source, name);
      const s = await stat(p);
      if (s.isDirectory() || name.endsWith('.json') || name.endsWith('.zip')) out.push(...await readSource(p));
    }
    return out;
  }
  const buf = await readFile(source);
  if (isZip(buf)) return readZip(buf, source).filter((m) => m.name.endsWith('.json')).flatMap((m) => recordsOf(m.data, `${source}:${m.name}`));
  return recordsOf(buf, source);
}

/** Loads the stored database; undefined when none was imported. */
export async function loadDb(dir: string): Promise<StoredDb | undefined> {
  let text: Buffer;
  try { text = await readFile(join(dir, DB_FILE)); } catch { return undefined; }
  const v = parseJsonText(text, join(dir, DB_FILE)) as Partial<StoredDb>;
  if (v.version !== 1 || !Array.isArray(v.advisories)) throw new Error(`${join(dir, DB_FILE)} is not a database this lcctl wrote; import the advisories again`);
  return v as StoredDb;
}

/** Imports the records of each source into the database in `dir` (same ID: the newer import wins); all or nothing. */
export async function importDb(dir: string, sources: string[], now = new Date()): Promise<{ imported: number; total: number }> {
  const fresh: Advisory[] = [];
  for (const s of sources) fresh.push(...await readSource(s));
  if (fresh.length === 0) throw new Error(`${sources.join(', ')}: no OSV records found (expected .json files or a zip of them)`);
  const old = await loadDb(dir);
  const byId = new Map((old?.advisories ?? []).map((a) => [a.id, a]));
  for (const a of fresh) byId.set(a.id, a);
  const db: StoredDb = { version: 1, importedAt: now.toISOString(), sources: [...new Set([...(old?.sources ?? []), ...sources])], advisories: [...byId.values()] };
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${DB_FILE}.tmp-${process.pid}`);
  await writeFile(tmp, JSON.stringify(db));
  await rename(tmp, join(dir, DB_FILE)); // readers see the old or the new database, never half of one
  return { imported: fresh.length, total: db.advisories.length };
}

/** Counts per ecosystem (release stripped: "Debian:12" counts as Debian), when imported, from what. */
export async function dbStatus(dir: string): Promise<DbStatus> {
  const db = await loadDb(dir);
  const byEcosystem: Record<string, number> = {};
  for (const a of db?.advisories ?? []) {
    for (const eco of new Set(a.affected.map((x) => x.ecosystem.split(':')[0]!))) byEcosystem[eco] = (byEcosystem[eco] ?? 0) + 1;
  }
  return { path: join(dir, DB_FILE), ...(db ? { importedAt: db.importedAt } : {}), total: db?.advisories.length ?? 0, byEcosystem, sources: db?.sources ?? [] };
}
