/**
 * JSON Patch (RFC 6902), Content-Type application/json-patch+json: a list of add, remove, replace,
 * move, copy and test operations on JSON Pointer (RFC 6901) paths, applied in order, all or nothing.
 */
import { clone, isObject, jsonEqual, type JsonValue } from './json-value.js';
import { PatchError } from './patch-error.js';

/** One operation as sent. */
interface Operation { op?: unknown; path?: unknown; from?: unknown; value?: unknown }

/** A JSON Pointer's reference tokens ("/a/b~1c" -> ["a", "b/c"]). */
function tokens(pointer: unknown, field: string): string[] {
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/'))) throw new PatchError(`${field}: expected a JSON Pointer such as /metadata/labels/app, got ${JSON.stringify(pointer)}`);
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonValue[] | Record<string, JsonValue>;

/** The container holding the last token, walking from root. */
function parentOf(root: JsonValue, path: string[], pointer: string): Container {
  let cur: JsonValue = root;
  for (const t of path.slice(0, -1)) {
    const next: JsonValue | undefined = Array.isArray(cur) ? cur[arrayIndex(cur, t, pointer, false)] : isObject(cur) ? cur[t] : undefined;
    if (next === undefined) throw new PatchError(`path ${pointer}: ${JSON.stringify(t)} does not exist`);
    cur = next;
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw new PatchError(`path ${pointer}: its parent is not an object or an array`);
  return cur;
}

function arrayIndex(arr: JsonValue[], t: string, pointer: string, forAdd: boolean): number {
  if (forAdd && t === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(t)) throw new PatchError(`path ${pointer}: ${JSON.stringify(t)} is not an array index`);
  const i = Number(t);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new PatchError(`path ${pointer}: index ${i} is out of range (length ${arr.length})`);
  return i;
}

function get(root: JsonValue, pointer: string): JsonValue {
  const path = tokens(pointer, 'path');
  if (path.length === 0) return root;
  const parent = parentOf(root, path, pointer);
  const last = path[path.length - 1]!;
  const v = Array.isArray(parent) ? parent[arrayIndex(parent, last, pointer, false)] : parent[last];
  if (v === undefined) throw new PatchError(`path ${pointer}: does not exist`);
  return v;
}

function remove(root: JsonValue, pointer: string): JsonValue {
  const path = tokens(pointer, 'path');
  if (path.length === 0) throw new PatchError('remove: the whole document cannot be removed');
  const parent = parentOf(root, path, pointer);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, last, pointer, false), 1)[0]!;
  if (!(last in parent)) throw new PatchError(`remove ${pointer}: does not exist`);
  const v = parent[last]!;
  delete parent[last];
  return v;
}

/** Add (or, with replace, overwrite) at pointer; answers the new root. */
function put(root: JsonValue, pointer: string, value: JsonValue, replace: boolean): JsonValue {
  const path = tokens(pointer, 'path');
  if (path.length === 0) return value;
  const parent = parentOf(root, path, pointer);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, pointer, !replace);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else {
    if (replace && !(last in parent)) throw new PatchError(`replace ${pointer}: does not exist`);
    parent[last] = value;
  }
  return root;
}

/** The target with the operations applied (a new value); PatchError names the failing operation. */
export function applyJsonPatch(target: unknown, ops: unknown): JsonValue {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be a list of operations ([{"op": "replace", "path": "/spec/replicas", "value": 3}])');
  let doc = clone(target as JsonValue);
  ops.forEach((raw: unknown, i) => {
    const op = (isObject(raw) ? raw : {}) as Operation;
    const where = `operation ${i} (${String(op.op)})`;
    try {
      const path = typeof op.path === 'string' ? op.path : (tokens(op.path, 'path'), '');
      const needValue = (): JsonValue => {
        if (!('value' in op)) throw new PatchError('"value" is required');
        return clone(op.value as JsonValue);
      };
      switch (op.op) {
        case 'add': doc = put(doc, path, needValue(), false); break;
        case 'replace': doc = put(doc, path, needValue(), true); break;
        case 'remove': remove(doc, path); break;
        case 'move': { tokens(op.from, 'from'); const v = remove(doc, op.from as string); doc = put(doc, path, v, false); break; }
        case 'copy': { tokens(op.from, 'from'); doc = put(doc, path, clone(get(doc, op.from as string)), false); break; }
        case 'test': if (!jsonEqual(get(doc, path), op.value)) throw new PatchError(`test failed: the value at ${path} is not ${JSON.stringify(op.value)}`); break;
        default: throw new PatchError('"op" must be one of add, remove, replace, move, copy, test');
      }
    } catch (e) {
      throw new PatchError(`${where}: ${(e as Error).message}`);
    }
  });
  return doc;
}
