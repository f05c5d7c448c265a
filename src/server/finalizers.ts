/**
 * Finalizers, as Kubernetes has them: an object (other than a Pod, which has its own two-step
 * deletion) whose metadata.finalizers is not empty is only marked with a deletionTimestamp on delete;
 * it goes for good when the last finalizer is removed by the controller that put it there.
 */
import type { ApiObject } from '../api/meta.js';

/** Whether a delete of obj must wait for its finalizers (mark it, keep it). */
export function waitsForFinalizers(obj: ApiObject): boolean {
  return obj.kind !== 'Pod' && pending(obj) > 0;
}

/** Whether an object just written was being deleted and has no finalizer left: delete it now. */
export function finalizersDone(obj: ApiObject): boolean {
  return obj.kind !== 'Pod' && obj.metadata.deletionTimestamp !== undefined && pending(obj) === 0;
}

/** metadata.finalizers, and a Namespace's spec.finalizers ("kubernetes": its controller empties it first). */
function pending(obj: ApiObject): number {
  const spec = obj.kind === 'Namespace' ? (obj as { spec?: { finalizers?: unknown[] } }).spec : undefined;
  return (obj.metadata.finalizers?.length ?? 0) + (spec?.finalizers?.length ?? 0);
}
