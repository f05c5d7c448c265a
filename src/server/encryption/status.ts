/** What `GET /apis/lantern.dev/v1/secrets-encryption` answers (and `lanternd secrets-encrypt status` prints). */
export interface EncryptionStatus {
  /** Whether the server runs with --secrets-encryption (new writes encrypted). */
  enabled: boolean;
  /**
   * start: every Secret is under the current key, the only key. rotated: some are not (after
   * rotate-keys, or encryption turned on or off with Secrets stored before): run reencrypt.
   * reencrypt_active: a reencrypt is running. reencrypt_finished: every Secret is under the current
   * key and older keys are still kept for reading.
   */
  stage: 'start' | 'rotated' | 'reencrypt_active' | 'reencrypt_finished';
  /** What new writes use: an encryption key, or identity (plain). */
  currentKey: { type: string; name?: string };
  /** The keys of the config in file order, and how many Secrets are under each. */
  keys: { type: string; name: string; active: boolean; secrets: number }[];
  secrets: {
    total: number;
    /** Stored as a write now would store them. */
    current: number;
    /** Under a key of the config other than the current one. */
    olderKeys: number;
    /** Not encrypted. */
    plain: number;
    /** Under a key that the config no longer has: unreadable until the key is put back. */
    unknownKeys: number;
  };
  configFile: {
    path: string;
    exists: boolean;
    /** The file holds exactly the keys the running server uses (false: it was edited or removed since). */
    inUse: boolean;
  };
}

/** What `POST .../secrets-encryption/reencrypt` answers. */
export interface ReencryptResult {
  /** Secrets rewritten under the current key. */
  rewritten: number;
  /** Keys dropped from the config once nothing was under them. */
  removedKeys: string[];
  /** The store's history was compacted to this revision (the old values lived on in it). */
  compactedTo?: number;
  status: EncryptionStatus;
}

/** What `POST .../secrets-encryption/rotate-keys` answers. */
export interface RotateResult {
  /** The new key, now used for every write. */
  key: { type: string; name: string };
  status: EncryptionStatus;
}
