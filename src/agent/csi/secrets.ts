/** The data of a Secret a CSI call needs (CSI passes secrets as a plain string map). */
import type { SecretRef } from '../../api/csi.js';
import type { ApiClient } from '../../client/types.js';
import type { ApiObject } from '../../api/meta.js';

/** Reads the Secret and decodes its data (base64) and stringData; undefined ref: {}. Throws a clear error. */
export async function readSecretData(api: ApiClient, ref: SecretRef | undefined, what: string): Promise<Record<string, string>> {
  if (!ref) return {};
  let s: ApiObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  try {
    s = await api.get<typeof s>('secrets', ref.name, ref.namespace);
  } catch (e) {
    throw new Error(`the ${what} secret ${ref.namespace}/${ref.name} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out: Record<string, string> = { ...s.stringData };
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}
