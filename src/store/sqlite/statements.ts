/**
 * Every SQL statement the store runs, prepared once, with the row <-> StoreEvent mapping.
 * Delete events follow etcd: kv is a tombstone (empty value, createRevision 0, modRevision = the
 * delete's revision) and prev holds the value that was deleted.
 */
import type { KeyValue, StoreEvent } from '../types.js';
import type { Db } from './schema.js';
import { prefixRange } from './keys.js';

interface KvRow { key: string; value: string; create_rev: number; mod_rev: number }

interface EventRow {
  revision: number;
  type: string;
  key: string;
  value: string | null;
  create_rev: number;
  prev_value: string | null;
  prev_create_rev: number | null;
  prev_mod_rev: number | null;
}

const EVENT_COLUMNS = 'revision, type, key, value, create_rev, prev_value, prev_create_rev, prev_mod_rev';

/** Prepared statements over one connection. */
export class Statements {
  private readonly getKv;
  private readonly listAll;
  private readonly listFrom;
  private readonly listRange;
  private readonly putKv;
  private readonly updKv;
  private readonly delKv;
  private readonly addEvent;
  private readonly eventsAll;
  private readonly eventsFrom;
  private readonly eventsRange;
  private readonly dropEvents;
  private readonly getMeta;
  private readonly setMeta;

  constructor(db: Db) {
    const kvCols = 'SELECT key, value, create_rev, mod_rev FROM kv';
    this.getKv = db.prepare<[string], KvRow>(`${kvCols} WHERE key = ?`);
    this.listAll = db.prepare<[], KvRow>(`${kvCols} ORDER BY key`);
    this.listFrom = db.prepare<[string], KvRow>(`${kvCols} WHERE key >= ? ORDER BY key`);
    this.listRange = db.prepare<[string, string], KvRow>(`${kvCols} WHERE key >= ? AND key < ? ORDER BY key`);
    this.putKv = db.prepare<[string, string, number, number]>(
      'INSERT OR REPLACE INTO kv (key, value, create_rev, mod_rev) VALUES (?, ?, ?, ?)');
    // An update rewrites the row in place; INSERT OR REPLACE would delete it and insert a new one
    // (two index changes and a new rowid) for every status write.
    this.updKv = db.prepare<[string, number, string]>('UPDATE kv SET value = ?, mod_rev = ? WHERE key = ?');
    this.delKv = db.prepare<[string]>('DELETE FROM kv WHERE key = ?');
    this.addEvent = db.prepare<[number, string, string, string | null, number, string | null, number | null, number | null]>(
      `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const evCols = `SELECT ${EVENT_COLUMNS} FROM events WHERE revision > ?`;
    this.eventsAll = db.prepare<[number, number], EventRow>(`${evCols} ORDER BY revision LIMIT ?`);
    this.eventsFrom = db.prepare<[number, string, number], EventRow>(
      `${evCols} AND key >= ? ORDER BY revision LIMIT ?`);
    this.eventsRange = db.prepare<[number, string, string, number], EventRow>(
      `${evCols} AND key >= ? AND key < ? ORDER BY revision LIMIT ?`);
    this.dropEvents = db.prepare<[number]>('DELETE FROM events WHERE revision <= ?');
    this.getMeta = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE name = ?');
    this.setMeta = db.prepare<[number, string]>('UPDATE meta SET value = ? WHERE name = ?');
  }

  /** The current value of key, if any. */
  get(key: string): KeyValue | undefined {
    const row = this.getKv.get(key);
    return row === undefined ? undefined : toKeyValue(row);
  }

  /** Keys under prefix in key order. */
  list(prefix: string): KeyValue[] {
    const { start, end } = prefixRange(prefix);
    const rows = prefix === '' ? this.listAll.all()
      : end === undefined ? this.listFrom.all(start) : this.listRange.all(start, end);
    return rows.map(toKeyValue);
  }

  /** Writes the kv row and appends its event to the log (caller holds the transaction). */
  record(e: StoreEvent): void {
    if (e.type === 'put' && e.prev !== undefined) this.updKv.run(e.kv.value, e.kv.modRevision, e.kv.key);
    else if (e.type === 'put') this.putKv.run(e.kv.key, e.kv.value, e.kv.createRevision, e.kv.modRevision);
    else this.delKv.run(e.kv.key);
    this.addEvent.run(e.revision, e.type, e.kv.key, e.type === 'put' ? e.kv.value : null,
      e.kv.createRevision, e.prev?.value ?? null, e.prev?.createRevision ?? null, e.prev?.modRevision ?? null);
  }

  /** Up to limit logged events under prefix with revision > after, oldest first. */
  eventsAfter(prefix: string, after: number, limit: number): StoreEvent[] {
    const { start, end } = prefixRange(prefix);
    const rows = prefix === '' ? this.eventsAll.all(after, limit)
      : end === undefined ? this.eventsFrom.all(after, start, limit) : this.eventsRange.all(after, start, end, limit);
    return rows.map(toEvent);
  }

  /** Deletes log rows with revision <= upTo. */
  dropEventsUpTo(upTo: number): void {
    this.dropEvents.run(upTo);
  }

  /** Reads a counter from the meta table ('revision' or 'compacted'). */
  meta(name: 'revision' | 'compacted'): number {
    const row = this.getMeta.get(name);
    if (row === undefined) throw new Error(`state store: meta row ${name} is missing; the file is damaged`);
    return row.value;
  }

  /** Sets a counter in the meta table. */
  setMetaValue(name: 'revision' | 'compacted', value: number): void {
    this.setMeta.run(value, name);
  }
}

function toKeyValue(r: KvRow): KeyValue {
  return { key: r.key, value: r.value, createRevision: r.create_rev, modRevision: r.mod_rev };
}

function toEvent(r: EventRow): StoreEvent {
  const prev: KeyValue | undefined = r.prev_value === null ? undefined : {
    key: r.key, value: r.prev_value, createRevision: r.prev_create_rev ?? 0, modRevision: r.prev_mod_rev ?? 0,
  };
  const type = r.type === 'delete' ? 'delete' : 'put';
  const kv: KeyValue = type === 'put'
    ? { key: r.key, value: r.value ?? '', createRevision: r.create_rev, modRevision: r.revision }
    : { key: r.key, value: '', createRevision: 0, modRevision: r.revision };
  return prev === undefined ? { type, kv, revision: r.revision } : { type, kv, prev, revision: r.revision };
}
