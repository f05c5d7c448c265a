/**
 * A daemon component, after containerd's plugin registration: an id, what it requires, a start that
 * returns the running thing and a stop. The runner (system.ts) starts a list of them in dependency
 * order and stops them in reverse.
 */

/** The typed name of what a component provides: `requires` lists keys and `ctx.get(key)` returns the value. */
export interface Key<T> {
  readonly id: string;
  /** Never set: it only carries T, so `get` is typed by the key it is given. */
  readonly type?: T;
}

/** A key named `id`. */
export function key<T>(id: string): Key<T> {
  return { id };
}

/** What a started component leaves: the value others get, and how to stop it (absent: nothing to stop). */
export interface Started<T> {
  readonly value: T;
  stop?(): void | Promise<void>;
}

/** What a component's start gets. */
export interface StartContext<C> {
  /** The daemon's parsed flags, one typed object (components never read process.env). */
  readonly config: C;
  /** The value of a component this one requires; asking for one not in `requires` throws. */
  get<T>(k: Key<T>): T;
  /** The value of one in `optional`, or undefined when that component is off for this config. */
  optional<T>(k: Key<T>): T | undefined;
  /** True once every component has started, false again from the moment stopping begins (readiness). */
  ready(): boolean;
}

/** One part of a daemon. */
export interface Component<C, T = unknown> {
  /** What it provides; key.id is its id in errors and logs. */
  readonly key: Key<T>;
  /** Components that must run first; start fails with a clear error when one is missing or off. */
  readonly requires: readonly Key<unknown>[];
  /** Components that, when on, must run first (and `ctx.optional` hands out). */
  readonly optional?: readonly Key<unknown>[];
  /** Whether this config wants it at all (default: yes). */
  enabled?(config: C): boolean;
  /** Construct and start it; a throw stops what already started, in reverse, and fails the daemon. */
  start(ctx: StartContext<C>): Promise<Started<T>> | Started<T>;
}

/** A thing with its own start() and stop(), as the controllers, scheduler and compactor are. */
export interface Startable {
  start(): unknown;
  stop(): unknown;
}

/** Start a Startable (awaiting its start when it returns a promise) and hand it out, stopped by its stop(). */
export async function started<T extends Startable>(thing: T): Promise<Started<T>> {
  await thing.start();
  return { value: thing, stop: async () => { await thing.stop(); } };
}
