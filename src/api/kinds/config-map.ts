import type { KindInfo } from './kind.js';
import { configMapModule } from './modules/core.js';
import { ConfigMapSchema, type ConfigMap } from '../schema/config.js';
import type { FieldCause } from '../errors.js';
import { withRules } from './with-rules.js';
import { MAX_CONFIG_BYTES, checkDataMap, checkImmutable } from './config-rules.js';

/** The ConfigMap kind (core v1, namespaced): keys are file names or variable names for pods. */
export const configMapKind: KindInfo<ConfigMap> = withRules(configMapModule, {
  schema: ConfigMapSchema,
  check(cm) {
    const out: FieldCause[] = [];
    const seen = new Set<string>();
    const size = checkDataMap(cm.data, 'data', false, out, seen) + checkDataMap(cm.binaryData, 'binaryData', true, out, seen);
    if (size > MAX_CONFIG_BYTES) out.push({ field: 'data', message: `too long: the data of a ConfigMap must total at most ${MAX_CONFIG_BYTES} bytes, got ${size}` });
    return out;
  },
  validateUpdate(oldObj, newObj) {
    const same = JSON.stringify([oldObj.data ?? {}, oldObj.binaryData ?? {}]) === JSON.stringify([newObj.data ?? {}, newObj.binaryData ?? {}]);
    return checkImmutable(oldObj, newObj, same);
  },
});
