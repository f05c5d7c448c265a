/**
 * Watchers: a watch from the past first replays the log in pages (yielding between pages), then goes
 * live and receives each committed batch. Every watcher keeps a cursor, the last revision it has
 * passed, and only ever moves it forward: that is what rules out duplicates. A replaying watcher
 * ignores live batches; it reads them from the log instead, which is what rules out gaps.
 */
import type { StoreEvent, Watch } from '../types.js';

/** Where replayed history comes from. */
export interface EventSource {
  /** Logged events under prefix with revision > after, oldest first, at most limit. */
  eventsAfter(prefix: string, after: number, limit: number): StoreEvent[];
  /** The latest committed revision. */
  head(): number;
}

interface Watcher {
  prefix: string;
  onEvent: (e: StoreEvent) => void;
  cursor: number;
  live: boolean;
  cancelled: boolean;
}

/** Fans committed events out to watchers; replays history for watches that start in the past. */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  /** onUnpinned runs when a replaying watcher finishes or cancels, so held-back compaction can proceed. */
  constructor(
    private readonly source: EventSource,
    private readonly onUnpinned: () => void,
    private readonly pageSize = 256,
  ) {}

  /** Starts a watch for events after fromRevision (0: from now). The caller checked compaction. */
  add(prefix: string, fromRevision: number, onEvent: (e: StoreEvent) => void): Watch {
    const head = this.source.head();
    const live = fromRevision === 0 || fromRevision >= head;
    const w: Watcher = { prefix, onEvent, cursor: fromRevision === 0 ? head : fromRevision, live, cancelled: false };
    this.watchers.add(w);
    // Replay starts on a later turn so that onEvent never runs before watch() has returned.
    if (!live) setImmediate(() => this.replay(w));
    return { cancel: () => this.remove(w) };
  }

  /** Delivers a committed batch (in revision order) to every live watcher. */
  publish(events: readonly StoreEvent[]): void {
    for (const w of [...this.watchers]) {
      if (!w.live) continue;
      for (const e of events) {
        if (w.cancelled) break;
        if (e.revision <= w.cursor) continue;
        w.cursor = e.revision;
        if (e.kv.key.startsWith(w.prefix)) this.deliver(w, e);
      }
    }
  }

  /** The lowest revision a replaying watcher still needs the log to hold past; undefined if none. */
  pinnedFloor(): number | undefined {
    let floor: number | undefined;
    for (const w of this.watchers) {
      if (!w.live && (floor === undefined || w.cursor < floor)) floor = w.cursor;
    }
    return floor;
  }

  /** Cancels every watch (the store is closing). */
  closeAll(): void {
    for (const w of this.watchers) w.cancelled = true;
    this.watchers.clear();
  }

  private remove(w: Watcher): void {
    if (w.cancelled) return;
    w.cancelled = true;
    this.watchers.delete(w);
    if (!w.live) this.onUnpinned();
  }

  private replay(w: Watcher): void {
    if (w.cancelled) return;
    const page = this.source.eventsAfter(w.prefix, w.cursor, this.pageSize);
    const head = this.source.head();
    for (const e of page) {
      if (w.cancelled) return;
      w.cursor = e.revision;
      this.deliver(w, e);
    }
    if (w.cancelled) return;
    // Caught up only if the page was the tail of the log and nothing committed while we delivered
    // it (a callback may close the store, which flushes queued writes synchronously).
    if (page.length < this.pageSize && this.source.head() === head) {
      w.cursor = Math.max(w.cursor, head);
      w.live = true;
      this.onUnpinned();
    } else {
      setImmediate(() => this.replay(w));
    }
  }

  private deliver(w: Watcher, e: StoreEvent): void {
    try {
      w.onEvent(e);
    } catch (err) {
      // A broken watcher must not stop the others or the commit path; make the failure visible.
      const why = err instanceof Error ? err.stack ?? err.message : String(err);
      process.emitWarning(`state store: watch callback for prefix "${w.prefix}" threw at revision ${e.revision}: ${why}`);
    }
  }
}
