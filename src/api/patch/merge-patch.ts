/**
 * JSON Merge Patch (RFC 7386), Content-Type application/merge-patch+json: objects merge key by key,
 * null removes a key, anything else (arrays included) replaces.
 */
import { clone, isObject, type JsonValue } from './json-value.js';

/** The target with the merge patch applied (a new value; the target is left as it was). */
export function applyMergePatch(target: unknown, patch: unknown): JsonValue {
  if (!isObject(patch)) return clone(patch as JsonValue);
  const out: Record<string, JsonValue> = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
