/**
 * Informers (the controller kit's) that this node opens only while some pod of it follows them: the
 * ConfigMaps and Secrets its pods reference, the pods of a namespace while a gang member waits there.
 * The first follower opens one, the last to leave stops it, and every change is told to each follower.
 */
import type { ApiObject } from '../api/meta.js';
import { Informer, type InformerOptions, type InformerSource } from '../client/kit/informer.js';

/** What every informer of the set shares: the API, the clock, the log. */
export type InformerBase<T> = Omit<InformerOptions<T>, keyof InformerSource>;

/** One followed informer, and the last thing it logged (a failed list names why reads fail). */
export interface Followed<T extends ApiObject> {
  readonly informer: Informer<T>;
  /** The informer's last complaint (e.g. a list the server refused), until it lists again. */
  lastError?: string;
}

interface Entry<T extends ApiObject> extends Followed<T> {
  /** uid -> what to tell the follower of a change (undefined: the first list is in). */
  followers: Map<string, (obj?: T) => void>;
}

/** Informers by source, opened and stopped by who follows them. */
export class FollowedInformers<T extends ApiObject> {
  private readonly entries = new Map<string, Entry<T>>();

  /** prepare runs once on each new informer before it starts (indexes). */
  constructor(private readonly base: InformerBase<T>, private readonly prepare: (inf: Informer<T>) => void = () => undefined) {}

  /** Follow source as uid (again: the callback is replaced); its informer starts on the first follower. */
  follow(source: InformerSource, uid: string, changed: (obj?: T) => void): Followed<T> {
    const id = idOf(source);
    let entry = this.entries.get(id);
    if (!entry) {
      const log = this.base.log ?? ((m: string) => console.error(m));
      const made: Entry<T> = {
        followers: new Map(),
        informer: new Informer<T>({ ...this.base, ...source, log: (m) => { made.lastError = m; log(`${describe(source)}: ${m}`); } }),
      };
      entry = made;
      this.prepare(made.informer);
      const tell = (obj?: T): void => { for (const f of made.followers.values()) f(obj); };
      made.informer.addHandler({ onAdd: (o) => tell(o), onUpdate: (_old, cur) => tell(cur), onDelete: (o) => tell(o) });
      void made.informer.start().then(() => { made.lastError = undefined; tell(); });
      this.entries.set(id, made);
    }
    entry.followers.set(uid, changed);
    return entry;
  }

  /** The informer of source if some pod follows it. */
  find(source: InformerSource): Followed<T> | undefined { return this.entries.get(idOf(source)); }

  /** uid follows nothing any more; informers left without followers stop. */
  unfollow(uid: string): void {
    for (const [id, entry] of this.entries) {
      if (!entry.followers.delete(uid) || entry.followers.size > 0) continue;
      entry.informer.stop();
      this.entries.delete(id);
    }
  }

  /** Stop every informer (the agent stops). */
  stop(): void {
    for (const e of this.entries.values()) e.informer.stop();
    this.entries.clear();
  }
}

/** Resolves true once the informer has listed, false when ms pass first (a read must not wait for ever). */
export async function listedWithin<T extends ApiObject>(f: Followed<T>, ms: number): Promise<boolean> {
  if (f.informer.hasSynced()) return true;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); timer.unref(); });
  await Promise.race([f.informer.start(), late]);
  clearTimeout(timer);
  return f.informer.hasSynced();
}

const idOf = (s: InformerSource): string => JSON.stringify([s.resource, s.namespace ?? '', s.labelSelector ?? '', s.fieldSelector ?? '']);
const describe = (s: InformerSource): string => `${s.resource}${s.namespace ? ` in ${s.namespace}` : ''}${s.fieldSelector ? ` (${s.fieldSelector})` : ''}`;
