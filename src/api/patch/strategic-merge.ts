/**
 * Strategic merge patch (Content-Type application/strategic-merge-patch+json), what kubectl sends for
 * label, annotate, set image, rollout restart and client-side apply on built-in kinds: a merge patch
 * in which the lists of merge-keys.ts merge item by item on their key, plus the directives kubectl
 * writes: `$patch: replace|delete` (on a map or a list item), `$retainKeys`, `$deleteFromPrimitiveList/F`
 * and `$setElementOrder/F` (order hints: the merged order is kept, the hint only reorders known keys).
 */
import { clone, isObject, type JsonObject, type JsonValue } from './json-value.js';
import { isPrimitiveSet, mergeKeyOf } from './merge-keys.js';
import { PatchError } from './patch-error.js';

const deleteFromPrimitiveList = '$deleteFromPrimitiveList/';
const setElementOrder = '$setElementOrder/';

/** Merge one list field. */
function mergeList(field: string, target: JsonValue | undefined, patch: JsonValue[], order: JsonValue[] | undefined): JsonValue[] {
  const current = Array.isArray(target) ? target : [];
  if (isPrimitiveSet(field) && patch.every((v) => !isObject(v))) {
    const out = [...current];
    for (const v of patch) if (!out.includes(v)) out.push(clone(v));
    return out;
  }
  const key = mergeKeyOf(field, patch.find(isObject) ?? current.find(isObject));
  if (key === undefined || !patch.every(isObject)) {
    // A list without a merge strategy is replaced; a `$patch: replace` item says the same explicitly.
    return clone(patch.filter((v) => !(isObject(v) && v.$patch === 'replace')));
  }
  if (patch.some((v) => isObject(v) && v.$patch === 'replace')) return clone(patch.filter((v) => !(isObject(v) && v.$patch === 'replace')));
  const out = current.map((v) => clone(v));
  for (const item of patch as JsonObject[]) {
    const id = item[key];
    if (id === undefined) throw new PatchError(`${field}: every item of a strategic merge patch must carry its merge key "${key}"`);
    const at = out.findIndex((v) => isObject(v) && v[key] === id);
    if (item.$patch === 'delete') { if (at >= 0) out.splice(at, 1); continue; }
    if (at >= 0) out[at] = applyStrategicMergePatch(out[at], item);
    else out.push(applyStrategicMergePatch({}, item));
  }
  if (order !== undefined) {
    const rank = (v: JsonValue): number => { const i = order.findIndex((o) => isObject(o) && isObject(v) && o[key] === v[key]); return i < 0 ? order.length : i; };
    out.sort((a, b) => rank(a) - rank(b));
  }
  return out;
}

/** The target with the strategic merge patch applied (a new value). */
export function applyStrategicMergePatch(target: unknown, patch: unknown): JsonValue {
  if (!isObject(patch)) return clone(patch as JsonValue);
  const directive = patch.$patch;
  if (directive === 'replace') { const rest = clone(patch); delete rest.$patch; return rest; }
  if (directive !== undefined && directive !== 'merge') throw new PatchError(`$patch: expected replace or merge on a map here, got ${JSON.stringify(directive)}`);
  let out: JsonObject = isObject(target) ? clone(target) : {};
  const retain = patch.$retainKeys;
  if (retain !== undefined) {
    if (!Array.isArray(retain) || !retain.every((k) => typeof k === 'string')) throw new PatchError('$retainKeys: expected a list of field names');
    out = Object.fromEntries(Object.entries(out).filter(([k]) => (retain as string[]).includes(k)));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(setElementOrder)) continue;
    if (key.startsWith(deleteFromPrimitiveList)) {
      const field = key.slice(deleteFromPrimitiveList.length);
      if (!Array.isArray(value)) throw new PatchError(`${key}: expected a list of values to remove`);
      const list = out[field];
      if (Array.isArray(list)) out[field] = list.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) { delete out[key]; continue; }
    if (isObject(value) && value.$patch === 'delete') { delete out[key]; continue; }
    if (Array.isArray(value)) {
      const order = patch[`${setElementOrder}${key}`];
      out[key] = mergeList(key, out[key], value, Array.isArray(order) ? order : undefined);
      continue;
    }
    out[key] = isObject(value) ? applyStrategicMergePatch(out[key], value) : clone(value);
  }
  return out;
}
