/**
 * The PATCH types kube-apiserver accepts, by Content-Type: JSON patch, merge patch and strategic merge
 * patch (server-side apply, application/apply-patch+yaml, is managed-fields.ts, served by server/http/apply.ts).
 */
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge.js';
import type { JsonValue } from './json-value.js';

export { PatchError } from './patch-error.js';

/** The patch types, by their media type. */
export const patchTypes = {
  'application/json-patch+json': applyJsonPatch,
  'application/merge-patch+json': applyMergePatch,
  'application/strategic-merge-patch+json': applyStrategicMergePatch,
} as const;

/** One of the media types above. */
export type PatchType = keyof typeof patchTypes;

/** The patch type of a Content-Type header (parameters ignored), or undefined when it is none. */
export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const base = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return base in patchTypes ? base as PatchType : undefined;
}

/** Apply a patch of that type to target (a new value; the target is left as it was). */
export function applyPatch(type: PatchType, target: unknown, patch: unknown): JsonValue {
  return patchTypes[type](target, patch);
}
