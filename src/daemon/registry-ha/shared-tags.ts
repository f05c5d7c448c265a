/**
 * HA registry (issue 16 item 2): the tag -> digest mapping every server shares, kept in the store.
 * A deleted tag is a tombstone, so a server that still holds the old tag on disk does not serve it.
 */
import { StoreConflictError, type StateStore } from '../../store/types.js';

/** Where shared tags live: `<prefix><repository>:<tag>` (a repository name never holds ':'). */
export const sharedTagPrefix = '/registry/lantern/registry-tags/';

/** A shared tag: the digest it names, or deleted (a tombstone). */
export type SharedTag = { digest: string } | { deleted: true };

/** The tags of the cluster's registry, read and written through the shared store. */
export class SharedTags {
  constructor(private readonly store: StateStore) {}

  /** The tag's shared state; undefined when no server ever wrote it (an image from before HA, a mirrored one). */
  async get(repository: string, tag: string): Promise<SharedTag | undefined> {
    const kv = await this.store.get(sharedTagPrefix + `${repository}:${tag}`);
    return kv ? parse(kv.value) : undefined;
  }

  /** Point the tag at `digest` for every server. */
  set(repository: string, tag: string, digest: string): Promise<void> { return this.put(repository, tag, { digest }); }

  /** Mark the tag deleted for every server. */
  delete(repository: string, tag: string): Promise<void> { return this.put(repository, tag, { deleted: true }); }

  /** Every shared tag of `repository`, by tag. */
  async list(repository: string): Promise<Map<string, SharedTag>> {
    const prefix = sharedTagPrefix + `${repository}:`;
    const out = new Map<string, SharedTag>();
    for (const kv of (await this.store.list(prefix)).items) {
      const t = parse(kv.value);
      const tag = kv.key.slice(prefix.length);
      if (t && !tag.includes('/')) out.set(tag, t);
    }
    return out;
  }

  /** Create or replace, whatever the revision (the last writer wins, as two pushes of one tag do). */
  private async put(repository: string, tag: string, value: SharedTag): Promise<void> {
    const key = sharedTagPrefix + `${repository}:${tag}`;
    for (;;) {
      const kv = await this.store.get(key);
      try {
        if (kv) await this.store.update(key, JSON.stringify(value), kv.modRevision); else await this.store.create(key, JSON.stringify(value));
        return;
      } catch (e) {
        if (!(e instanceof StoreConflictError)) throw e;
      }
    }
  }
}

function parse(value: string): SharedTag | undefined {
  try {
    const v = JSON.parse(value) as { digest?: unknown; deleted?: unknown };
    if (v.deleted === true) return { deleted: true };
    return typeof v.digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(v.digest) ? { digest: v.digest } : undefined;
  } catch { return undefined; }
}
