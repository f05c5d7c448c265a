/**
 * The node's device assignments, kept in DATA_DIR/devices/assignments.json (written to a temp file and
 * renamed, so a crash leaves the old or the new file, never half of one): an agent that restarts
 * re-reads them, so re-adopted pods keep their devices and no device is given twice.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The devices one container holds. */
export interface Assignment {
  podUid: string;
  namespace: string;
  pod: string;
  container: string;
  resource: string;
  /** The units (device ids, or `<uuid>::<r>` replicas). */
  units: string[];
  /** The physical devices behind them. */
  devices: string[];
  /** GPU memory (bytes) of a fractional MPS share; absent for whole units. */
  memoryBytes?: number;
  /** When it was made (ISO), so a prune never frees what was assigned after its pod list was read. */
  at: string;
}

/** The assignments file of a data dir. */
export class AssignmentFile {
  readonly file: string;
  constructor(dataDir: string) { this.file = path.join(dataDir, 'devices', 'assignments.json'); }

  /** What was saved; empty when none (or unreadable: logged by the caller). */
  load(): Assignment[] {
    let text: string;
    try { text = readFileSync(this.file, 'utf8'); } catch { return []; }
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) throw new Error(`${this.file}: expected a JSON list of assignments`);
    return v.filter((a): a is Assignment => typeof a === 'object' && a !== null && typeof (a as Assignment).podUid === 'string' && Array.isArray((a as Assignment).units));
  }

  /** Replace the file atomically. */
  save(all: readonly Assignment[]): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 1));
    renameSync(tmp, this.file);
  }
}
