import type { Component, Key, StartContext, Started } from './component.js';
import { startOrder } from './resolve.js';

/** A started list of components. */
export interface System {
  /** The ids in the order they started. */
  readonly ids: readonly string[];
  /** The value of a component that is on; throws for one that is off or unknown. */
  get<T>(k: Key<T>): T;
  /** Stop every component in reverse start order, once: later calls return the first call's promise. */
  stop(): Promise<void>;
}

/** How the runner reports what it cannot throw (a stop that failed). */
export interface SystemOptions {
  log?: (message: string) => void;
}

/**
 * Start the components `config` turns on in dependency order (startOrder). When one fails to start,
 * the ones already started are stopped in reverse and the error is rethrown.
 */
export async function startSystem<C>(list: readonly Component<C, unknown>[], config: C, opts: SystemOptions = {}): Promise<System> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const order = startOrder(list, config);
  const values = new Map<string, unknown>();
  const running: { id: string; started: Started<unknown> }[] = [];
  let ready = false;
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    ready = false;
    stopping ??= (async () => {
      for (const { id, started } of [...running].reverse()) {
        try { await started.stop?.(); } catch (e) { log(`component ${id}: stop failed: ${e instanceof Error ? e.message : String(e)}`); }
      }
    })();
    return stopping;
  };

  for (const c of order) {
    const allowed = new Set(c.requires.map((k) => k.id));
    const maybe = new Set((c.optional ?? []).map((k) => k.id));
    const ctx: StartContext<C> = {
      config,
      get: <T>(k: Key<T>): T => {
        if (!allowed.has(k.id)) throw new Error(`component "${c.key.id}" asked for "${k.id}" without listing it in requires`);
        return values.get(k.id) as T;
      },
      optional: <T>(k: Key<T>): T | undefined => {
        if (!maybe.has(k.id)) throw new Error(`component "${c.key.id}" asked for "${k.id}" without listing it in optional`);
        return values.get(k.id) as T | undefined;
      },
      ready: () => ready,
    };
    let started: Started<unknown>;
    try {
      started = await c.start(ctx);
    } catch (e) {
      await stop();
      throw e;
    }
    running.push({ id: c.key.id, started });
    values.set(c.key.id, started.value);
  }
  ready = true;
  return {
    ids: order.map((c) => c.key.id),
    get: <T>(k: Key<T>): T => {
      if (!values.has(k.id)) throw new Error(`component "${k.id}" is not running`);
      return values.get(k.id) as T;
    },
    stop,
  };
}
