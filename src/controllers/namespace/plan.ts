/** What the namespace controller does to a namespace, as pure functions of the objects. */
import { namespaceFinalizer, type Namespace } from '../../api/schema/namespace.js';

/** The next step for a namespace: nothing (live or already gone), mark it Terminating, empty it, or finish it. */
export type NamespaceStep = 'none' | 'mark-terminating' | 'empty' | 'finalize';

/** Decide the step from the namespace and how many objects are left in it (undefined: not counted yet). */
export function namespaceStep(ns: Namespace, remaining: number | undefined): NamespaceStep {
  if (ns.metadata.deletionTimestamp === undefined) return 'none';
  if (ns.status?.phase !== 'Terminating') return 'mark-terminating';
  if (!(ns.spec?.finalizers ?? []).includes(namespaceFinalizer)) return 'none';
  return remaining === 0 ? 'finalize' : 'empty';
}

/** The namespace without the controller's finalizer (the API then deletes it for good). */
export function withoutFinalizer(ns: Namespace): Namespace {
  return { ...ns, spec: { ...ns.spec, finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== namespaceFinalizer) } };
}
