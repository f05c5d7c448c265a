/**
 * Kubernetes' EncryptionConfiguration (apiserver.config.k8s.io/v1), as k3s writes it:
 *   {"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1",
 *    "resources":[{"resources":["secrets"],"providers":[{"aesgcm":{"keys":[{"name":"k1","secret":"BASE64"}]}},{"identity":{}}]}]}
 * The first provider's first key encrypts new writes; every key decrypts values that name it.
 */
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { ApiError } from '../../api/errors.js';
import type { CipherType, EncryptionKey } from './aes.js';

/** One provider in its configured order. */
export type Provider = { type: 'identity' } | { type: CipherType; keys: EncryptionKey[] };

/** The providers configured for secrets, in order. */
export interface EncryptionConfig { providers: Provider[] }

/** The only resource encrypted at rest. */
export const encryptedResource = 'secrets';

const apiVersion = 'apiserver.config.k8s.io/v1';
const cipherTypes: readonly string[] = ['aesgcm', 'aescbc'];
const keyName = /^[A-Za-z0-9._-]{1,250}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parse and check the file's text (JSON or YAML); errors name the file and the field. */
export function parseEncryptionConfig(text: string, file: string): EncryptionConfig {
  const bad = (field: string, what: string): ApiError => new ApiError('Invalid', `${file}: ${field}: ${what}`);
  let doc: unknown;
  try { doc = parse(text); } catch (e) { throw bad('(file)', `not JSON or YAML: ${(e as Error).message}`); }
  if (!isObject(doc)) throw bad('(file)', 'expected an EncryptionConfiguration object');
  if (doc.kind !== 'EncryptionConfiguration') throw bad('kind', `must be EncryptionConfiguration, not ${JSON.stringify(doc.kind)}`);
  if (doc.apiVersion !== apiVersion) throw bad('apiVersion', `must be ${apiVersion}, not ${JSON.stringify(doc.apiVersion)}`);
  if (!Array.isArray(doc.resources) || doc.resources.length !== 1) throw bad('resources', 'must list exactly one entry, for ["secrets"]');
  const entry: unknown = doc.resources[0];
  if (!isObject(entry) || !Array.isArray(entry.resources) || entry.resources.length !== 1 || entry.resources[0] !== encryptedResource) {
    throw bad('resources[0].resources', `must be ["${encryptedResource}"]: Lantern encrypts only Secrets at rest`);
  }
  if (!Array.isArray(entry.providers) || entry.providers.length === 0) throw bad('resources[0].providers', 'must list at least one provider');
  const names = new Set<string>();
  const providers = entry.providers.map((p: unknown, i): Provider => {
    const at = `resources[0].providers[${i}]`;
    if (!isObject(p) || Object.keys(p).length !== 1) throw bad(at, 'must have exactly one of aesgcm, aescbc, identity');
    const [type, body] = Object.entries(p)[0]!;
    if (type === 'identity') return { type };
    if (!cipherTypes.includes(type)) throw bad(at, `provider "${type}" is not supported: use aesgcm, aescbc or identity`);
    if (!isObject(body) || !Array.isArray(body.keys) || body.keys.length === 0) throw bad(`${at}.${type}.keys`, 'must list at least one key');
    const keys = body.keys.map((k: unknown, j): EncryptionKey => {
      const kat = `${at}.${type}.keys[${j}]`;
      if (!isObject(k) || typeof k.name !== 'string' || typeof k.secret !== 'string') throw bad(kat, 'must have a name and a secret (base64)');
      if (!keyName.test(k.name)) throw bad(`${kat}.name`, `${JSON.stringify(k.name)} must be 1-250 letters, digits, '.', '_' or '-'`);
      if (names.has(k.name)) throw bad(`${kat}.name`, `"${k.name}" is used twice: key names must be unique`);
      names.add(k.name);
      const secret = Buffer.from(k.secret, 'base64');
      if (secret.toString('base64') !== k.secret.replace(/\s/g, '') || ![16, 24, 32].includes(secret.length)) {
        throw bad(`${kat}.secret`, `must be the base64 of 16, 24 or 32 random bytes (got ${secret.length} bytes)`);
      }
      return { type: type as CipherType, name: k.name, secret };
    });
    return { type: type as CipherType, keys };
  });
  return { providers };
}

/** The file's text for a config (JSON, as k3s writes it). */
export function formatEncryptionConfig(cfg: EncryptionConfig): string {
  const providers = cfg.providers.map((p) => (p.type === 'identity'
    ? { identity: {} }
    : { [p.type]: { keys: p.keys.map((k) => ({ name: k.name, secret: k.secret.toString('base64') })) } }));
  return JSON.stringify({ kind: 'EncryptionConfiguration', apiVersion, resources: [{ resources: [encryptedResource], providers }] }, null, 2) + '\n';
}

/** The key new writes are encrypted with; undefined when the first provider is identity. */
export function writeKeyOf(cfg: EncryptionConfig): EncryptionKey | undefined {
  const first = cfg.providers[0];
  return first === undefined || first.type === 'identity' ? undefined : first.keys[0];
}

/** Every key, in file order. */
export const keysOf = (cfg: EncryptionConfig): EncryptionKey[] => cfg.providers.flatMap((p) => (p.type === 'identity' ? [] : p.keys));

/** A fresh random 32-byte key named TYPEkey-YYYYMMDDTHHMMSSZ (with a suffix if taken). */
export function newKey(type: CipherType, cfg: EncryptionConfig, now: Date): EncryptionKey {
  const taken = new Set(keysOf(cfg).map((k) => k.name));
  const base = `${type}key-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}`;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return { type, name, secret: randomBytes(32) };
}

/** The first config: one new aesgcm key, then identity so plain values stay readable. */
export function initialConfig(now: Date): EncryptionConfig {
  const empty: EncryptionConfig = { providers: [] };
  return { providers: [{ type: 'aesgcm', keys: [newKey('aesgcm', empty, now)] }, { type: 'identity' }] };
}

/**
 * k3s' rotate-keys: a new key of the writing provider's type (aesgcm when identity writes) becomes the
 * first key, so it encrypts new writes; every older key stays to decrypt.
 */
export function withNewKey(cfg: EncryptionConfig, now: Date): { cfg: EncryptionConfig; key: EncryptionKey } {
  const first = cfg.providers[0];
  const type: CipherType = first !== undefined && first.type !== 'identity' ? first.type : 'aesgcm';
  const key = newKey(type, cfg, now);
  const providers = first !== undefined && first.type !== 'identity'
    ? [{ type: first.type, keys: [key, ...first.keys] }, ...cfg.providers.slice(1)]
    : [{ type, keys: [key] }, ...cfg.providers];
  return { cfg: { providers }, key };
}

/** The config without the keys not in keep (providers left empty go too; identity stays). */
export function withOnlyKeys(cfg: EncryptionConfig, keep: ReadonlySet<string>): { cfg: EncryptionConfig; removed: EncryptionKey[] } {
  const removed = keysOf(cfg).filter((k) => !keep.has(k.name));
  const providers = cfg.providers
    .map((p): Provider => (p.type === 'identity' ? p : { type: p.type, keys: p.keys.filter((k) => keep.has(k.name)) }))
    .filter((p) => p.type === 'identity' || p.keys.length > 0);
  return { cfg: { providers }, removed };
}
