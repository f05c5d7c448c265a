import type { FieldCause } from '../errors.js';

/** Kubernetes' limit on the data of one ConfigMap or Secret. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const KEY = /^[-._a-zA-Z0-9]+$/;

/** Why key is not a valid ConfigMap/Secret key (as file names they must be safe), or undefined. */
export function checkConfigKey(key: string): string | undefined {
  if (key.length === 0 || key.length > 253) return 'a valid config key must be 1 to 253 characters long';
  if (!KEY.test(key)) return `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+'), got ${JSON.stringify(key)}`;
  if (key === '.' || key === '..' || key.startsWith('..')) return `must not be '.' or '..' and must not start with '..', got ${JSON.stringify(key)}`;
  return undefined;
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether s is standard padded base64 (what Kubernetes accepts for []byte fields). */
export const isBase64 = (s: string): boolean => B64.test(s);

/** Check the keys (and base64 values) of one data map; returns its size in bytes. */
export function checkDataMap(map: Record<string, string> | undefined, field: string, base64: boolean, out: FieldCause[], seen: Set<string>): number {
  let size = 0;
  for (const [k, v] of Object.entries(map ?? {})) {
    const bad = checkConfigKey(k);
    if (bad) out.push({ field: `${field}[${k}]`, message: bad });
    if (seen.has(k)) out.push({ field: `${field}[${k}]`, message: `duplicate of key ${JSON.stringify(k)} present in another data field` });
    seen.add(k);
    if (base64 && !isBase64(v)) { out.push({ field: `${field}[${k}]`, message: 'illegal base64 data: values under data and binaryData must be base64 (use stringData for plain text)' }); continue; }
    size += k.length + (base64 ? Buffer.byteLength(v, 'base64') : Buffer.byteLength(v, 'utf8'));
  }
  return size;
}

/** The immutable-object rule shared by ConfigMap and Secret. */
export function checkImmutable(oldObj: { immutable?: boolean }, newObj: { immutable?: boolean }, same: boolean): FieldCause[] {
  if (oldObj.immutable !== true) return [];
  const out: FieldCause[] = [];
  if (newObj.immutable !== true) out.push({ field: 'immutable', message: 'field is immutable when `immutable` is set: delete and re-create the object' });
  if (!same) out.push({ field: 'data', message: 'field is immutable when `immutable` is set: delete and re-create the object to change its data' });
  return out;
}
