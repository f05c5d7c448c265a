/**
 * Sets of field paths as server-side apply tracks ownership, and their FieldsV1 form
 * (`{"f:spec":{"f:replicas":{}}}`, list items `k:{"name":"app"}`, set members `v:"x"`, `.` for an
 * item owned itself). A path is a list of segments; a set holds each path as its JSON text.
 */
import { isObject, type JsonObject, type JsonValue } from './json-value.js';
import { isPrimitiveSet, mergeKeyOf } from './merge-keys.js';

/** One path: segments `f:NAME`, `k:{"KEY":VALUE}` or `v:VALUE`. */
export type FieldPath = string[];

/** A set of paths (each as JSON.stringify(path)). */
export type FieldSet = Set<string>;

/** Fields no manager owns: identity and server-written metadata, and status of the main resource. */
const ignoredTop = new Set(['apiVersion', 'kind', 'status']);
const ignoredMeta = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']);

function walk(value: JsonValue, field: string, at: FieldPath, out: FieldSet): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) {
      if (at.length === 0 && ignoredTop.has(k)) continue;
      if (at.length === 1 && at[0] === 'f:metadata' && ignoredMeta.has(k)) continue;
      walk(v, k, [...at, `f:${k}`], out);
    }
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    if (isPrimitiveSet(field) && value.every((v) => !isObject(v))) {
      for (const v of value) out.add(JSON.stringify([...at, `v:${JSON.stringify(v)}`]));
      return;
    }
    const key = mergeKeyOf(field, value.find(isObject));
    if (key !== undefined && value.every((v) => isObject(v) && v[key] !== undefined)) {
      for (const item of value as JsonObject[]) {
        const itemPath = [...at, `k:${JSON.stringify({ [key]: item[key] })}`];
        out.add(JSON.stringify(itemPath));
        walk(item, '', itemPath, out);
      }
      return;
    }
  }
  // A primitive, an empty map or list, or a list without merge key (atomic: owned whole).
  out.add(JSON.stringify(at));
}

/** The fields an object (or an apply configuration) sets. */
export function fieldsOf(obj: unknown): FieldSet {
  const out: FieldSet = new Set();
  if (isObject(obj)) walk(obj, '', [], out);
  out.delete('[]');
  return out;
}

/** The value at a path, or undefined when it is not there. */
export function valueAt(obj: unknown, path: FieldPath): JsonValue | undefined {
  let cur: unknown = obj;
  for (const seg of path) {
    const rest = seg.slice(2);
    if (seg.startsWith('f:')) { cur = isObject(cur) ? cur[rest] : undefined; continue; }
    if (!Array.isArray(cur)) return undefined;
    const want = JSON.parse(rest) as JsonValue;
    if (seg.startsWith('v:')) { cur = cur.find((v) => v === want); continue; }
    const [k, v] = Object.entries(want as JsonObject)[0] ?? [];
    cur = cur.find((item) => isObject(item) && k !== undefined && item[k] === v);
  }
  return cur as JsonValue | undefined;
}

/** Remove the value at a path (a list item or set member leaves its list). */
export function removeAt(obj: unknown, path: FieldPath): void {
  if (path.length === 0) return;
  const parent = valueAt(obj, path.slice(0, -1));
  const seg = path[path.length - 1]!;
  const rest = seg.slice(2);
  if (seg.startsWith('f:')) { if (isObject(parent)) delete parent[rest]; return; }
  if (!Array.isArray(parent)) return;
  const want = JSON.parse(rest) as JsonValue;
  const [k, v] = isObject(want) ? Object.entries(want)[0] ?? [] : [];
  const at = seg.startsWith('v:') ? parent.indexOf(want) : parent.findIndex((item) => isObject(item) && k !== undefined && item[k] === v);
  if (at >= 0) parent.splice(at, 1);
}

/** The set in FieldsV1 form. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const text of [...set].sort()) {
    const path = JSON.parse(text) as FieldPath;
    let node = root;
    for (const seg of path) {
      if (!isObject(node[seg])) node[seg] = {};
      node = node[seg] as JsonObject;
    }
    // A member with children (a list item) says it is owned itself with ".".
    if (Object.keys(node).length > 0) node['.'] = {};
  }
  // Children written after their item: mark those items too.
  const mark = (node: JsonObject, path: FieldPath): void => {
    for (const [seg, child] of Object.entries(node)) {
      if (seg === '.' || !isObject(child)) continue;
      const p = [...path, seg];
      if (set.has(JSON.stringify(p)) && Object.keys(child).length > 0) child['.'] = {};
      mark(child, p);
    }
  };
  mark(root, []);
  return root;
}

/** A FieldsV1 object as a set (unknown shapes give the paths they hold; nothing throws). */
export function fromFieldsV1(v: unknown): FieldSet {
  const out: FieldSet = new Set();
  const visit = (node: unknown, path: FieldPath, depth: number): void => {
    if (!isObject(node) || depth > 64) return;
    const keys = Object.keys(node);
    if (path.length > 0 && (keys.length === 0 || '.' in node)) out.add(JSON.stringify(path));
    for (const k of keys) if (k !== '.') visit(node[k], [...path, k], depth + 1);
  };
  visit(v, [], 0);
  return out;
}

/** The path form of a set member, as `.spec.replicas` or `.spec.containers[name="app"].image` (Kubernetes' conflict text). */
export function pathText(text: string): string {
  return (JSON.parse(text) as FieldPath).map((seg) => {
    const rest = seg.slice(2);
    if (seg.startsWith('f:')) return `.${rest}`;
    if (seg.startsWith('v:')) return `[${rest}]`;
    const [k, v] = Object.entries(JSON.parse(rest) as JsonObject)[0] ?? ['', null];
    return `[${k}=${JSON.stringify(v)}]`;
  }).join('');
}
