/** The ServiceAccount kind's rules: its schema, and pull-secret names that are names. */
import type { KindInfo } from './kind.js';
import type { FieldCause } from '../errors.js';
import { serviceAccountModule } from './modules/core-serviceaccount.js';
import { ServiceAccountSchema, type ServiceAccount } from '../schema/service-account.js';
import { withRules } from './with-rules.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The ServiceAccount kind (core v1). */
export const serviceAccountKind: KindInfo<ServiceAccount> = withRules(serviceAccountModule, {
  schema: ServiceAccountSchema,
  check(sa) {
    const out: FieldCause[] = [];
    (sa.imagePullSecrets ?? []).forEach((s, i) => {
      if (!DNS_SUBDOMAIN.test(s.name)) out.push({ field: `imagePullSecrets[${i}].name`, message: `Invalid value: ${JSON.stringify(s.name)}: must be a Secret's name (lower case letters, digits, '-' and '.')` });
    });
    return out;
  },
});
