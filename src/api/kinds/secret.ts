import type { KindInfo } from './kind.js';
import { secretModule } from './modules/core.js';
import { SecretSchema, type Secret } from '../schema/config.js';
import type { FieldCause } from '../errors.js';
import { withRules } from './with-rules.js';
import { DOCKER_CONFIG_JSON_TYPE, parseDockerConfigJson } from '../docker-config-json.js';
import { MAX_CONFIG_BYTES, checkDataMap, checkImmutable } from './config-rules.js';

/** The Secret kind (core v1, namespaced): base64 data; stringData is folded into data on write. */
export const secretKind: KindInfo<Secret> = withRules(secretModule, {
  schema: SecretSchema,
  check(s) {
    const out: FieldCause[] = [];
    const data = checkDataMap(s.data, 'data', true, out, new Set());
    // stringData may repeat a data key on purpose: it wins, as in Kubernetes.
    const plain = checkDataMap(s.stringData, 'stringData', false, out, new Set());
    if (data + plain > MAX_CONFIG_BYTES) out.push({ field: 'data', message: `too long: the data of a Secret must total at most ${MAX_CONFIG_BYTES} bytes, got ${data + plain}` });
    if (s.type === '') out.push({ field: 'type', message: 'must not be empty (omit it for Opaque)' });
    if (s.type === DOCKER_CONFIG_JSON_TYPE) {
      // As Kubernetes: the registry credentials must parse, or the node would silently pull anonymously.
      const plain = s.stringData?.['.dockerconfigjson'];
      const parsed = parseDockerConfigJson(s.type, plain !== undefined ? Buffer.from(plain, 'utf8').toString('base64') : s.data?.['.dockerconfigjson']);
      if ('error' in parsed) out.push({ field: 'data[.dockerconfigjson]', message: `${parsed.error} (lcctl create secret docker-registry writes one)` });
    }
    return out;
  },
  applyDefaults(s) {
    s.type ??= 'Opaque';
    if (s.stringData !== undefined) {
      const data = { ...s.data };
      for (const [k, v] of Object.entries(s.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
      s.data = data;
      delete s.stringData;
    }
  },
  validateUpdate(oldObj, newObj) {
    const out = checkImmutable(oldObj, newObj, JSON.stringify(oldObj.data ?? {}) === JSON.stringify(newObj.data ?? {}));
    if ((oldObj.type ?? 'Opaque') !== (newObj.type ?? 'Opaque')) out.push({ field: 'type', message: 'field is immutable: delete and re-create the Secret to change its type' });
    return out;
  },
});
