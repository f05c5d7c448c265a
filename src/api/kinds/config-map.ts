import type { KindInfo } from './kind.js';
import { ConfigMapSchema, type ConfigMap } from '../schema/config.js';
import { SchemaValidator } from '../validate.js';
import { checkMeta } from './meta-rules.js';
import { MAX_CONFIG_BYTES, checkDataMap, checkImmutable } from './config-rules.js';

const validator = new SchemaValidator(ConfigMapSchema);

/** The ConfigMap kind (core v1, namespaced): keys are file names or variable names for pods. */
export const configMapKind: KindInfo<ConfigMap> = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  resource: 'configmaps',
  namespaced: true,
  shortNames: ['cm', 'configmap'],
  hasStatus: false,
  validate(obj) {
    const causes = validator.causes(obj);
    if (causes.length > 0) return causes;
    const cm = obj as ConfigMap;
    const out = checkMeta(cm.metadata, true);
    const seen = new Set<string>();
    const size = checkDataMap(cm.data, 'data', false, out, seen) + checkDataMap(cm.binaryData, 'binaryData', true, out, seen);
    if (size > MAX_CONFIG_BYTES) out.push({ field: 'data', message: `too long: the data of a ConfigMap must total at most ${MAX_CONFIG_BYTES} bytes, got ${size}` });
    return out;
  },
  applyDefaults() { /* none */ },
  validateUpdate(oldObj, newObj) {
    const same = JSON.stringify([oldObj.data ?? {}, oldObj.binaryData ?? {}]) === JSON.stringify([newObj.data ?? {}, newObj.binaryData ?? {}]);
    return checkImmutable(oldObj, newObj, same);
  },
  selectableFields(cm) {
    return { 'metadata.name': cm.metadata.name, 'metadata.namespace': cm.metadata.namespace ?? 'default' };
  },
};
