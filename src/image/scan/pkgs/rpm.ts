/**
 * rpm's SQLite database (rpmdb.sqlite: Fedora 33+, RHEL 9, Rocky/Alma 9): each row of Packages is one
 * rpm header blob, read here for NAME, EPOCH, VERSION, RELEASE, ARCH and SOURCERPM.
 */
import Database from 'better-sqlite3';
import type { Package } from '../types.js';

const TAG = { NAME: 1000, VERSION: 1001, RELEASE: 1002, EPOCH: 1003, ARCH: 1022, SOURCERPM: 1044 } as const;

/** The tags of one header blob (il, dl, il index entries, data store), strings and int32s only. */
export function readHeader(blob: Buffer): Map<number, string | number> {
  const out = new Map<number, string | number>();
  if (blob.length < 8) throw new Error('rpm header blob shorter than 8 bytes');
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  const data = 8 + il * 16;
  if (il > 100_000 || data + dl > blob.length) throw new Error(`rpm header claims ${il} entries and ${dl} data bytes but the blob has ${blob.length}`);
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = blob.readUInt32BE(e);
    const type = blob.readUInt32BE(e + 4);
    const off = data + blob.readUInt32BE(e + 8);
    if (off >= data + dl) continue;
    if (type === 4) out.set(tag, blob.readUInt32BE(off));
    else if (type === 6 || type === 8 || type === 9) {
      const end = blob.indexOf(0, off);
      out.set(tag, blob.subarray(off, end < 0 ? data + dl : end).toString('utf8'));
    }
  }
  return out;
}

/** The name of a source rpm file: "openssl-3.0.7-24.el9.src.rpm" -> "openssl". */
function sourceName(srpm: string): string | undefined {
  return /^(.+)-[^-]+-[^-]+\.src\.rpm$/.exec(srpm)?.[1];
}

/** Installed packages of an rpmdb.sqlite held in memory; ecosystem as given ("Red Hat"). */
export function rpmPackages(db: Buffer, file: string, ecosystem: string): Package[] {
  let conn: Database.Database;
  try { conn = new Database(db, { readonly: true }); } catch (e) { throw new Error(`${file}: not an SQLite rpm database (${(e as Error).message})`); }
  try {
    const rows = conn.prepare('SELECT blob FROM Packages').all() as Array<{ blob: Buffer }>;
    const out: Package[] = [];
    for (const row of rows) {
      const h = readHeader(row.blob);
      const name = h.get(TAG.NAME);
      if (typeof name !== 'string' || name === 'gpg-pubkey') continue; // imported keys are rows too
      const epoch = h.get(TAG.EPOCH);
      const evr = `${typeof epoch === 'number' && epoch > 0 ? `${epoch}:` : ''}${String(h.get(TAG.VERSION) ?? '')}-${String(h.get(TAG.RELEASE) ?? '')}`;
      const src = sourceName(String(h.get(TAG.SOURCERPM) ?? ''));
      const arch = h.get(TAG.ARCH);
      out.push({ name, version: evr, ecosystem, file, srcName: src ?? name, srcVersion: evr, ...(typeof arch === 'string' ? { arch } : {}) });
    }
    return out;
  } catch (e) {
    throw new Error(`${file}: cannot read the Packages table (${(e as Error).message})`);
  } finally {
    conn.close();
  }
}
