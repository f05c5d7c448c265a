import { ApiError } from '../../api/errors.js';
import { DecryptError, open, seal, type EncryptionKey } from './aes.js';
import { keysOf, type EncryptionConfig } from './config.js';
import type { ValueTransformer } from './value-transformer.js';

/** Every encrypted value starts with this; anything else is read as plain JSON (identity). */
export const encryptedPrefix = 'k8s:enc:';
const prefixPattern = /^k8s:enc:([a-z0-9]+):v1:([^:]+):/;

/** Kubernetes' prefix for a value sealed with key: `k8s:enc:aesgcm:v1:NAME:`. */
export const prefixOf = (key: { type: string; name: string }): string => `${encryptedPrefix}${key.type}:v1:${key.name}:`;

/** The provider type and key name a stored value names, or undefined for a plain value. */
export function storedUnder(value: string): { type: string; name: string } | undefined {
  if (!value.startsWith(encryptedPrefix)) return undefined;
  const m = prefixPattern.exec(value);
  return { type: m?.[1] ?? '?', name: m?.[2] ?? '?' };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The transformer for one config: writes with writeKey (plain when undefined), reads with every
 * key of the config. The stored text is the Kubernetes prefix then the sealed bytes in base64
 * (Lantern's store holds text, etcd holds bytes).
 */
export class KeyRing implements ValueTransformer {
  private readonly keys = new Map<string, EncryptionKey>();
  private readonly writePrefix: string | undefined;

  constructor(readonly config: EncryptionConfig, readonly writeKey: EncryptionKey | undefined, private readonly file: string) {
    for (const k of keysOf(config)) this.keys.set(prefixOf(k), k);
    this.writePrefix = writeKey && prefixOf(writeKey);
  }

  toStorage(plain: string, storeKey: string): string {
    if (this.writeKey === undefined || this.writePrefix === undefined) return plain;
    return this.writePrefix + seal(this.writeKey, Buffer.from(plain, 'utf8'), Buffer.from(storeKey, 'utf8')).toString('base64');
  }

  fromStorage(stored: string, storeKey: string): string {
    const under = storedUnder(stored);
    if (under === undefined) return stored;
    const prefix = prefixOf(under);
    const key = this.keys.get(prefix);
    if (key === undefined || !stored.startsWith(prefix)) {
      throw new ApiError('Internal', `cannot read ${storeKey}: it is encrypted with ${under.type} key "${under.name}", which is not in ${this.file}; put that key back into the file and restart lanternd server`);
    }
    try {
      const plain = utf8.decode(open(key, Buffer.from(stored.slice(prefix.length), 'base64'), Buffer.from(storeKey, 'utf8')));
      // aescbc is unauthenticated: a wrong key or changed bytes can still unpad; garbage is not a JSON object.
      if (!plain.startsWith('{')) throw new DecryptError('the decrypted value is not a JSON object (the key is not the one it was written with, or the stored value was changed)');
      return plain;
    } catch (e) {
      const why = e instanceof DecryptError ? e.message : `the decrypted value is not UTF-8 text (the key is not the one it was written with, or the stored value was changed)`;
      throw new ApiError('Internal', `cannot decrypt ${storeKey} with ${key.type} key "${key.name}" of ${this.file}: ${why}; restore the key it was written with, or delete and re-create the object`);
    }
  }

  /** Whether a stored value is already as a write now would store it (under the write key, or plain when none). */
  isCurrent(stored: string): boolean {
    return this.writePrefix === undefined ? !stored.startsWith(encryptedPrefix) : stored.startsWith(this.writePrefix);
  }
}
