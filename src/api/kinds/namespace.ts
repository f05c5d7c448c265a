import type { KindInfo } from './kind.js';
import { namespaceModule } from './modules/core.js';
import { NamespaceSchema, namespaceFinalizer, type Namespace } from '../schema/namespace.js';
import type { FieldCause } from '../errors.js';
import { checkLabel, checkSubdomain } from '../names.js';
import { withRules } from './with-rules.js';

/** The Namespace kind (core v1, cluster-scoped): a DNS-1123 label, Active until deleted. */
export const namespaceKind: KindInfo<Namespace> = withRules(namespaceModule, {
  schema: NamespaceSchema,
  check(ns) {
    const out: FieldCause[] = [];
    // A namespace's name is a DNS label (it becomes part of service names), stricter than other names.
    // Only when the general name rule (a subdomain) passed, so one mistake is named once.
    const bad = checkSubdomain(ns.metadata.name) === undefined ? checkLabel(ns.metadata.name) : undefined;
    if (bad !== undefined) out.push({ field: 'metadata.name', message: bad });
    return out;
  },
  applyDefaults(ns) {
    ns.spec ??= {};
    ns.spec.finalizers ??= [namespaceFinalizer];
    ns.status ??= {};
    ns.status.phase ??= 'Active';
  },
});
