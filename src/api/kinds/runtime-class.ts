import type { KindInfo } from './kind.js';
import { runtimeClassModule } from './modules/node.js';
import { RuntimeClassSchema, type RuntimeClass } from '../schema/runtime-class.js';
import type { FieldCause } from '../errors.js';
import { parseQuantity } from '../quantity.js';
import { withRules } from './with-rules.js';

/** The RuntimeClass kind (node.k8s.io/v1, cluster-scoped); handler is immutable, as in Kubernetes. */
export const runtimeClassKind: KindInfo<RuntimeClass> = withRules(runtimeClassModule, {
  schema: RuntimeClassSchema,
  check(rc) {
    const out: FieldCause[] = [];
    for (const [name, q] of Object.entries(rc.overhead?.podFixed ?? {})) {
      const v = parseQuantity(q);
      if (v === undefined || v < 0) out.push({ field: `overhead.podFixed[${name}]`, message: `must be a non-negative quantity such as 250m or 120Mi, not ${JSON.stringify(q)}` });
    }
    return out;
  },
  validateUpdate(oldObj, newObj) {
    return oldObj.handler === newObj.handler ? [] : [{ field: 'handler', message: 'field is immutable: delete and re-create the RuntimeClass to change its handler' }];
  },
});
