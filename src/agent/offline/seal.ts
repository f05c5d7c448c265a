/**
 * The node-local key that seals Secrets in the agent's on-disk record: AES-256-GCM, a random 32-byte
 * key in DATA_DIR/offline/key (0600), made at the first start. Another node (or a copied disk without
 * the key file) cannot read them; the node itself must, after a reboot with no server to ask.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeAtomic } from './atomic-file.js';

const keyBytes = 32;
const nonceBytes = 12;
const tagBytes = 16;
/** What a sealed file starts with, so a plain or foreign file is told apart from a bad key. */
const magic = Buffer.from('LSEAL1\n');

/** Seals and opens byte strings with one key; the additional data binds a sealed value to its name. */
export class Sealer {
  private constructor(private readonly key: Buffer) {}

  /** The key at file, made (0600, atomically) when there is none; a file of the wrong size is an error. */
  static async open(file: string): Promise<Sealer> {
    let key = await readFile(file).catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return undefined; throw e; });
    if (key === undefined) {
      key = randomBytes(keyBytes);
      await writeAtomic(file, key);
    }
    if (key.length !== keyBytes) throw new Error(`${file} is not a ${keyBytes}-byte key (${key.length} bytes): remove it to make a new one (the sealed Secrets are then lost)`);
    return new Sealer(key);
  }

  /** magic | nonce | ciphertext | tag; aad (e.g. the object's key) must be the same to open it. */
  seal(plain: Buffer, aad: string): Buffer {
    const nonce = randomBytes(nonceBytes);
    const c = createCipheriv('aes-256-gcm', this.key, nonce);
    c.setAAD(Buffer.from(aad));
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([magic, nonce, body, c.getAuthTag()]);
  }

  /** The plain bytes; throws when the value was not sealed by this key for this aad (or was changed). */
  unseal(sealed: Buffer, aad: string): Buffer {
    if (sealed.length < magic.length + nonceBytes + tagBytes || !sealed.subarray(0, magic.length).equals(magic)) throw new Error('not a sealed value');
    const nonce = sealed.subarray(magic.length, magic.length + nonceBytes);
    const tag = sealed.subarray(sealed.length - tagBytes);
    const d = createDecipheriv('aes-256-gcm', this.key, nonce);
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(tag);
    return Buffer.concat([d.update(sealed.subarray(magic.length + nonceBytes, sealed.length - tagBytes)), d.final()]);
  }
}
