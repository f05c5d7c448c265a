/** The namespace controller: a deleted namespace is emptied, then removed. */
export { NamespaceController, type NamespaceControllerOptions } from './controller.js';
export { namespaceStep, withoutFinalizer, type NamespaceStep } from './plan.js';
