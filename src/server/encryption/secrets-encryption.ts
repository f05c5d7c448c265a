import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import { StoreConflictError, type KeyValue, type StateStore } from '../../store/types.js';
import { encryptedResource, formatEncryptionConfig, initialConfig, keysOf, parseEncryptionConfig, withNewKey, withOnlyKeys, writeKeyOf, type EncryptionConfig } from './config.js';
import { hashOf, readConfigText, writeConfigText } from './config-file.js';
import { KeyRing, prefixOf, storedUnder } from './key-ring.js';
import type { EncryptionStatus, ReencryptResult, RotateResult } from './status.js';
import type { ValueTransformer } from './value-transformer.js';

/** Where the keys live: DATA_DIR/cred/encryption-config.json (k3s: server/cred/encryption-config.json). */
export const encryptionConfigPath = (dataDir: string): string => path.join(dataDir, 'cred', 'encryption-config.json');

/** Where ApiService stores Secrets (its key scheme: /registry/RESOURCE/NAMESPACE/NAME). */
const secretsPrefix = `/registry/${encryptedResource}/`;
/** Rewrites submitted together, so group commit batches them. */
const rewriteBatch = 256;

export interface SecretsEncryptionOptions {
  store: Pick<StateStore, 'list' | 'update' | 'compact' | 'currentRevision'>;
  /** The EncryptionConfiguration file (encryptionConfigPath). */
  file: string;
  /** --secrets-encryption: new writes are encrypted with the config's first key (created when missing). */
  enabled: boolean;
  now?: () => Date;
}

/**
 * Secrets at rest: the transformer ApiService applies to Secrets (delegating to the current key ring,
 * so a rotated key is used from the next write on, without a restart), and the admin operations
 * status, rotate-keys and reencrypt. Without --secrets-encryption new writes are plain, and any keys
 * in the file still decrypt what was written with them.
 */
export class SecretsEncryption implements ValueTransformer {
  private ring: KeyRing;
  private running: 'rotate-keys' | 'reencrypt' | undefined;

  private constructor(private readonly opts: SecretsEncryptionOptions, config: EncryptionConfig, private loadedHash: string | undefined) {
    this.ring = this.ringFor(config);
  }

  /** Read (with --secrets-encryption: create) the keys file and build the transformer. */
  static async open(opts: SecretsEncryptionOptions): Promise<SecretsEncryption> {
    let text = await readConfigText(opts.file);
    if (text === undefined && opts.enabled) {
      text = formatEncryptionConfig(initialConfig(opts.now?.() ?? new Date()));
      await writeConfigText(opts.file, text);
    } else if (text !== undefined) {
      await chmod(opts.file, 0o600);
    }
    const config = text === undefined ? { providers: [] } : parseEncryptionConfig(text, opts.file);
    return new SecretsEncryption(opts, config, text === undefined ? undefined : hashOf(text));
  }

  /** The resource -> transformer map ApiService takes. */
  transformers(): ReadonlyMap<string, ValueTransformer> { return new Map([[encryptedResource, this]]); }

  toStorage(plain: string, storeKey: string): string { return this.ring.toStorage(plain, storeKey); }
  fromStorage(stored: string, storeKey: string): string { return this.ring.fromStorage(stored, storeKey); }

  /** The encryption state, the current key, and where every stored Secret stands. */
  async status(): Promise<EncryptionStatus> {
    const { items } = await this.opts.store.list(secretsPrefix);
    const ring = this.ring;
    const perKey = new Map<string, number>();
    const secrets = { total: items.length, current: 0, olderKeys: 0, plain: 0, unknownKeys: 0 };
    const known = new Set(keysOf(ring.config).map(prefixOf));
    for (const kv of items) {
      const under = storedUnder(kv.value);
      if (ring.isCurrent(kv.value)) secrets.current++;
      if (under === undefined) { secrets.plain++; continue; }
      const prefix = prefixOf(under);
      if (!known.has(prefix)) { secrets.unknownKeys++; continue; }
      perKey.set(prefix, (perKey.get(prefix) ?? 0) + 1);
      if (!ring.isCurrent(kv.value)) secrets.olderKeys++;
    }
    const keys = keysOf(ring.config).map((k) => ({ type: k.type, name: k.name, active: k === ring.writeKey, secrets: perKey.get(prefixOf(k)) ?? 0 }));
    const text = await readConfigText(this.opts.file);
    const stage: EncryptionStatus['stage'] = this.running === 'reencrypt' ? 'reencrypt_active'
      : secrets.current < secrets.total ? 'rotated'
        : keys.some((k) => !k.active) ? 'reencrypt_finished' : 'start';
    return {
      enabled: this.opts.enabled,
      stage,
      currentKey: ring.writeKey ? { type: ring.writeKey.type, name: ring.writeKey.name } : { type: 'identity' },
      keys,
      secrets,
      configFile: { path: this.opts.file, exists: text !== undefined, inUse: (text === undefined ? undefined : hashOf(text)) === this.loadedHash },
    };
  }

  /** A line for the server's log when some Secrets are under keys the file lacks (a lost or replaced file). */
  async startupWarning(): Promise<string | undefined> {
    const { secrets } = await this.status();
    if (secrets.unknownKeys === 0) return undefined;
    return `${secrets.unknownKeys} of ${secrets.total} Secrets are encrypted with keys that are not in ${this.opts.file}: they cannot be read until those keys are put back into the file (then restart lanternd server); see lanternd secrets-encrypt status`;
  }

  /** k3s' rotate-keys: a new key encrypts every write from now on; the older keys stay to decrypt. */
  rotateKeys(): Promise<RotateResult> {
    return this.exclusive('rotate-keys', async () => {
      if (!this.opts.enabled) throw new ApiError('BadRequest', 'secrets encryption is off: restart lanternd server with --secrets-encryption, then rotate keys');
      await this.assertFileInUse();
      const { cfg, key } = withNewKey(this.ring.config, this.opts.now?.() ?? new Date());
      await this.save(cfg);
      return { key: { type: key.type, name: key.name } };
    });
  }

  /**
   * Rewrite every Secret not stored as a write now would be (older key, or plain; all plain when
   * encryption is off), then compact the store's history, which still held the old values, and,
   * unless keepOldKeys, drop every key but the current one.
   */
  reencrypt(opts: { keepOldKeys?: boolean } = {}): Promise<ReencryptResult> {
    return this.exclusive('reencrypt', async () => {
      await this.assertFileInUse();
      let rewritten = 0;
      // Writes made meanwhile already use the current key, so each pass leaves fewer; a lost race is
      // picked up by the next pass.
      for (let pass = 1; ; pass++) {
        const stale = (await this.opts.store.list(secretsPrefix)).items.filter((kv) => !this.ring.isCurrent(kv.value));
        if (stale.length === 0) break;
        if (pass > 50) throw new ApiError('Unavailable', `${stale.length} secrets keep changing under older keys; run reencrypt again`);
        for (let i = 0; i < stale.length; i += rewriteBatch) {
          const done = await Promise.all(stale.slice(i, i + rewriteBatch).map((kv) => this.rewrite(kv)));
          rewritten += done.filter(Boolean).length;
        }
      }
      const writeKey = this.ring.writeKey;
      const drop = this.opts.enabled && !opts.keepOldKeys && writeKey !== undefined;
      const { cfg, removed } = drop ? withOnlyKeys(this.ring.config, new Set([writeKey.name])) : { cfg: this.ring.config, removed: [] };
      let compactedTo: number | undefined;
      if (rewritten > 0 || removed.length > 0) {
        compactedTo = await this.opts.store.currentRevision();
        await this.opts.store.compact(compactedTo);
      }
      if (removed.length > 0) await this.save(cfg);
      return { rewritten, removedKeys: removed.map((k) => k.name), ...(compactedTo === undefined ? {} : { compactedTo }) };
    });
  }

  private async rewrite(kv: KeyValue): Promise<boolean> {
    try {
      await this.opts.store.update(kv.key, this.ring.toStorage(this.ring.fromStorage(kv.value, kv.key), kv.key), kv.modRevision);
      return true;
    } catch (e) {
      if (e instanceof StoreConflictError) return false; // changed or deleted meanwhile: the next pass sees it
      throw e;
    }
  }

  /** One operation at a time; the answer carries the status after it. */
  private async exclusive<T extends object>(what: 'rotate-keys' | 'reencrypt', fn: () => Promise<T>): Promise<T & { status: EncryptionStatus }> {
    if (this.running) throw new ApiError('Conflict', `a ${this.running} is running: wait for it to finish (lanternd secrets-encrypt status), then try again`);
    this.running = what;
    let result: T;
    try { result = await fn(); } finally { this.running = undefined; }
    return { ...result, status: await this.status() };
  }

  /** Refuse to overwrite a file someone edited since the server read it (their keys would be lost). */
  private async assertFileInUse(): Promise<void> {
    const text = await readConfigText(this.opts.file);
    if ((text === undefined ? undefined : hashOf(text)) !== this.loadedHash) {
      throw new ApiError('Conflict', `${this.opts.file} was changed on disk since lanternd server read it: restart lanternd server so it uses the file (or put back what it had), then try again`);
    }
  }

  /** Write the file first, then use it: a failed write changes nothing. */
  private async save(config: EncryptionConfig): Promise<void> {
    const text = formatEncryptionConfig(config);
    await writeConfigText(this.opts.file, text);
    this.loadedHash = hashOf(text);
    this.ring = this.ringFor(config);
  }

  private ringFor(config: EncryptionConfig): KeyRing {
    return new KeyRing(config, this.opts.enabled ? writeKeyOf(config) : undefined, this.opts.file);
  }
}
