/**
 * What the API service applies to one resource's stored values at the storage boundary: encode
 * writes `toStorage(json)`, every read (get, list, watch, a delete's answer) decodes
 * `fromStorage(stored)`. storeKey is the value's key in the store (`/registry/secrets/NS/NAME`),
 * bound to the ciphertext as authenticated data so a value cannot be moved to another key.
 * Both are synchronous: decoding is on the watch fan-out path.
 */
export interface ValueTransformer {
  /** The value to store for an object's JSON. */
  toStorage(plain: string, storeKey: string): string;
  /** The object's JSON from a stored value; throws an ApiError naming the key when it cannot. */
  fromStorage(stored: string, storeKey: string): string;
}
