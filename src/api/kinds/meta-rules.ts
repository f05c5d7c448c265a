import type { ObjectMeta } from '../meta.js';
import type { FieldCause } from '../errors.js';
import { checkLabel, checkLabelKey, checkLabelValue, checkSubdomain } from '../names.js';

/** Rules every object's metadata follows: a valid name, namespace and labels. */
export function checkMeta(meta: ObjectMeta, namespaced: boolean): FieldCause[] {
  const out: FieldCause[] = [];
  const bad = checkSubdomain(meta.name);
  if (bad) out.push({ field: 'metadata.name', message: bad });
  if (namespaced && meta.namespace !== undefined) {
    const badNs = checkLabel(meta.namespace);
    if (badNs) out.push({ field: 'metadata.namespace', message: badNs });
  }
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    const badKey = checkLabelKey(k);
    if (badKey) out.push({ field: `metadata.labels.${k}`, message: badKey });
    const badValue = checkLabelValue(v);
    if (badValue) out.push({ field: `metadata.labels.${k}`, message: badValue });
  }
  return out;
}
