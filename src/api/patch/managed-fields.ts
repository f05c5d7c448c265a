/**
 * Server-side apply and field ownership (metadata.managedFields), as kube-apiserver's fieldmanager:
 * an apply sets the fields of its configuration and owns them (operation Apply); a field another manager
 * owns with a different value is a conflict unless forced; fields the manager applied before and no
 * longer applies are removed unless someone else owns them. Every other write (operation Update) gives
 * its manager the fields it changed and takes them from the others.
 */
import { clone, isObject, jsonEqual, type JsonObject, type JsonValue } from './json-value.js';
import { fieldsOf, fromFieldsV1, pathText, removeAt, toFieldsV1, valueAt, type FieldPath, type FieldSet } from './field-set.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

/** One metadata.managedFields entry (meta/v1 ManagedFieldsEntry). */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
}

/** One conflicting field: who owns it and where. */
export interface FieldConflict { manager: string; apiVersion: string; field: string }

/** The result of an apply: the object to write, or the conflicts that stopped it. */
export type ApplyOutcome = { object: JsonObject; conflicts?: undefined } | { object?: undefined; conflicts: FieldConflict[] };

/** The managedFields entries of an object (entries of the wrong shape are dropped). */
export function entriesOf(obj: unknown): ManagedFieldsEntry[] {
  const meta = isObject(obj) ? obj.metadata : undefined;
  const list = isObject(meta) ? meta.managedFields : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter((e): e is JsonObject => isObject(e) && typeof e.manager === 'string' && (e.operation === 'Apply' || e.operation === 'Update'))
    .map((e) => ({ manager: e.manager as string, operation: e.operation as 'Apply' | 'Update', apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '', time: typeof e.time === 'string' ? e.time : '', fieldsType: 'FieldsV1', fieldsV1: isObject(e.fieldsV1) ? e.fieldsV1 : {} }));
}

const same = (e: ManagedFieldsEntry, manager: string, op: string): boolean => e.manager === manager && e.operation === op;

/** True when SET holds PATH or a path below it. */
function ownsUnder(set: FieldSet, path: string): boolean {
  const prefix = path.slice(0, -1);
  for (const p of set) if (p === path || p.startsWith(`${prefix},`)) return true;
  return false;
}

function withEntries(obj: JsonObject, entries: Array<{ e: ManagedFieldsEntry; set: FieldSet }>): JsonObject {
  const meta = (isObject(obj.metadata) ? obj.metadata : (obj.metadata = {})) as JsonObject;
  const kept = entries.filter(({ set }) => set.size > 0).map(({ e, set }) => ({ ...e, fieldsV1: toFieldsV1(set) }));
  if (kept.length > 0) meta.managedFields = kept as unknown as JsonValue;
  else delete meta.managedFields;
  return obj;
}

/** Apply CONFIG as MANAGER onto CURRENT (undefined: create-on-apply). NOW is the entry's time. */
export function serverSideApply(current: JsonObject | undefined, config: JsonObject, manager: string, apiVersion: string, force: boolean, now: string): ApplyOutcome {
  const base = clone(current ?? {});
  const applied = fieldsOf(config);
  const entries = entriesOf(current).map((e) => ({ e, set: fromFieldsV1(e.fieldsV1) }));
  const mine = entries.find(({ e }) => same(e, manager, 'Apply'));
  const others = entries.filter((x) => x !== mine);
  const conflicts: FieldConflict[] = [];
  const taken = new Set<string>();
  for (const { e, set } of others) {
    for (const p of applied) {
      if (!set.has(p)) continue;
      const path = JSON.parse(p) as FieldPath;
      const want = valueAt(config, path);
      if (isObject(want) && Object.keys(want).length > 0) continue; // a list item: its fields decide
      if (jsonEqual(valueAt(base, path), want)) continue; // same value: shared ownership
      conflicts.push({ manager: e.manager, apiVersion: e.apiVersion, field: pathText(p) });
      taken.add(p);
    }
  }
  if (conflicts.length > 0 && !force) return { conflicts };
  for (const o of others) for (const p of taken) o.set.delete(p);
  if (isObject(base.metadata)) delete base.metadata.managedFields;
  const merged = applyStrategicMergePatch(base, config) as JsonObject;
  // Fields this manager applied before and leaves out now go, unless another manager owns them.
  const dropped = [...(mine?.set ?? [])].filter((p) => !applied.has(p) && !others.some((o) => ownsUnder(o.set, p)));
  dropped.sort((a, b) => b.length - a.length);
  for (const p of dropped) removeAt(merged, JSON.parse(p) as FieldPath);
  const entry: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: {} };
  return { object: withEntries(merged, [...others, { e: entry, set: applied }]) };
}

/**
 * Record a write that is not an apply (create, update, patch) as MANAGER: it owns what it changed, the
 * others lose those fields and any the write removed. Managed fields the client sent that differ from
 * the stored ones are taken as written (how Kubernetes lets a client reset ownership).
 */
export function recordUpdate(previous: JsonObject | undefined, next: JsonObject, manager: string, apiVersion: string, now: string): JsonObject {
  const sent = entriesOf(next);
  const stored = entriesOf(previous);
  if (sent.length > 0 && !jsonEqual(sent, stored)) return withEntries(next, sent.map((e) => ({ e, set: fromFieldsV1(e.fieldsV1) })));
  const before = fieldsOf(previous ?? {});
  const after = fieldsOf(next);
  const changed = new Set<string>();
  for (const p of after) {
    if (!before.has(p)) { changed.add(p); continue; }
    const path = JSON.parse(p) as FieldPath;
    const v = valueAt(next, path);
    if (!(isObject(v) && Object.keys(v).length > 0) && !jsonEqual(valueAt(previous, path), v)) changed.add(p);
  }
  const removed = [...before].filter((p) => !after.has(p));
  const entries = stored.map((e) => ({ e, set: fromFieldsV1(e.fieldsV1) }));
  let mine = entries.find(({ e }) => same(e, manager, 'Update'));
  if (mine === undefined && changed.size > 0) entries.push(mine = { e: { manager, operation: 'Update', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: {} }, set: new Set() });
  for (const x of entries) {
    for (const p of removed) x.set.delete(p);
    if (x === mine) { for (const p of changed) x.set.add(p); if (changed.size > 0) x.e = { ...x.e, time: now, apiVersion }; } else for (const p of changed) x.set.delete(p);
  }
  return withEntries(next, entries);
}

/** Kubernetes' message for apply conflicts: `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`. */
export function conflictMessage(conflicts: FieldConflict[]): string {
  const n = conflicts.length;
  const head = `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: `;
  const byManager = new Map<string, FieldConflict[]>();
  for (const c of conflicts) {
    const k = `"${c.manager}" using ${c.apiVersion}`;
    byManager.set(k, [...(byManager.get(k) ?? []), c]);
  }
  if (n === 1) return `${head}conflict with ${[...byManager.keys()][0]!}: ${conflicts[0]!.field}`;
  return head + [...byManager.entries()].map(([who, cs]) => `conflicts with ${who}:\n${cs.map((c) => `- ${c.field}`).join('\n')}`).join('\n');
}
