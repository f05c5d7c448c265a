/**
 * What a controller is made of besides its reconcile: its informers (from a shared factory, or its
 * own), handlers that turn changes into keys, one work queue, and timers, all started and stopped
 * together. Inputs are an ApiClient and a clock only, so a controller can run in any process.
 */
import type { ApiObject } from '../../api/meta.js';
import type { Clock, TimerClock } from '../../api/clock.js';
import type { ApiClient } from '../types.js';
import type { EventHandler, Informer, InformerSource } from './informer.js';
import { InformerFactory } from './factory.js';
import { WorkQueue, type WorkQueueOptions } from './work-queue.js';
import { keyOf } from './keys.js';
import { controllerOf } from './owners.js';
import { every, timerClock } from './timers.js';

/** A controller's inputs, as every controller's options carry them. */
export interface ControllerInputs {
  api: ApiClient;
  clock?: Clock;
  /** Informers shared with the other components of the process; absent: the controller makes its own. */
  informers?: InformerFactory;
  log?: (msg: string) => void;
}

/** Handlers that call fn with the object of every add, change, resync and delete. */
export const onEachChange = <T extends ApiObject>(fn: (obj: T) => void): EventHandler<T> => ({ onAdd: fn, onUpdate: (_, o) => fn(o), onDelete: fn });

/** Handlers that queue each added, changed or resynced object's own key (onDelete is the caller's). */
export const queueKeyOf = <T extends ApiObject>(queue: WorkQueue, onDelete?: (obj: T) => void): EventHandler<T> => ({
  onAdd: (o) => queue.add(keyOf(o)),
  onUpdate: (_, o) => queue.add(keyOf(o)),
  ...(onDelete ? { onDelete } : {}),
});

/** Handlers that queue the key of the object's controller when it is of `kind` (a child's change wakes its owner). */
export const queueControllerOf = <T extends ApiObject>(queue: WorkQueue, kind: string): EventHandler<T> => {
  return onEachChange<T>((o) => {
    const owner = controllerOf(o);
    if (owner?.kind === kind) queue.add(keyOf({ metadata: { namespace: o.metadata.namespace, name: owner.name } }));
  });
};

/** A controller's informers, queue and timers. */
export class ControllerLoop {
  readonly api: ApiClient;
  readonly clock: TimerClock;
  readonly queue: WorkQueue;
  readonly log: (msg: string) => void;
  private readonly factory: InformerFactory;
  private readonly ownFactory: boolean;
  private readonly used = new Set<Informer<ApiObject>>();
  private readonly stops: (() => void)[] = [];
  private stopped = false;

  constructor(inputs: ControllerInputs, reconcile: (key: string) => Promise<void>, queue: Omit<WorkQueueOptions, 'clock' | 'log'> & { name: string }) {
    this.api = inputs.api;
    this.clock = timerClock(inputs.clock);
    this.log = inputs.log ?? ((m) => console.error(`${queue.name}: ${m}`));
    this.ownFactory = inputs.informers === undefined;
    this.factory = inputs.informers ?? new InformerFactory({ api: inputs.api, clock: this.clock, log: this.log });
    this.queue = new WorkQueue(reconcile, { ...queue, clock: this.clock, log: this.log });
  }

  /** The (shared) informer of a source; nothing is listed until start(). */
  informer<T extends ApiObject>(source: string | InformerSource): Informer<T> {
    return this.factory.informer<T>(source);
  }

  /** Follow an informer with handler (resyncMs: also every held object each period); it is removed at stop(). */
  watch<T extends ApiObject>(informer: Informer<T>, handler: EventHandler<T>, opts: { resyncMs?: number } = {}): Informer<T> {
    this.used.add(informer as unknown as Informer<ApiObject>);
    this.stops.push(informer.addHandler(handler, opts));
    return informer;
  }

  /**
   * The watches of a controller of `owners` over the `children` they control (Deployments over
   * ReplicaSets, ReplicaSets over pods): a change of an owner, or of a child whose controller is of
   * `kind`, queues the owner; a deleted owner goes to onDeleted (the cascade); every owner is queued
   * again each resyncMs, for changes that only time brings.
   */
  watchOwners<O extends ApiObject>(owners: string, children: string, opts: { kind: string; resyncMs: number; onDeleted: (owner: O) => Promise<void> }): void {
    this.watch(this.informer<O>(owners), queueKeyOf<O>(this.queue, (o) => {
      void opts.onDeleted(o).catch((e: unknown) => this.log(`${keyOf(o)}: ${String(e)}`));
    }), { resyncMs: opts.resyncMs });
    this.watch(this.informer(children), queueControllerOf(this.queue, opts.kind));
  }

  /** Run fn every ms on the controller's clock until stop(). */
  every(ms: number, fn: () => void): void { this.stops.push(every(this.clock, ms, fn)); }

  /** Start the informers watched so far, wait for their first lists, then let the queue's workers run. */
  async start(): Promise<void> {
    await Promise.all([...this.used].map((i) => i.start()));
    if (!this.stopped) this.queue.start();
  }

  /** True once every watched informer has its first list. */
  hasSynced(): boolean { return [...this.used].every((i) => i.hasSynced()); }

  stop(): void {
    this.stopped = true;
    this.queue.stop();
    for (const s of this.stops.splice(0)) s();
    if (this.ownFactory) this.factory.stop();
  }
}

/**
 * The shell of a controller: its loop, built around its reconcile(key), and stop() and idle(). A
 * controller adds its watches (start) and its reconcile of one key.
 */
export abstract class Controller {
  protected readonly loop: ControllerLoop;

  constructor(inputs: ControllerInputs, queue: Omit<WorkQueueOptions, 'clock' | 'log'> & { name: string }) {
    this.loop = new ControllerLoop(inputs, (key) => this.reconcile(key), queue);
  }

  /** Bring one object (by key) to what it should be; safe to run again at any time. */
  abstract reconcile(key: string): Promise<void>;

  stop(): void { this.loop.stop(); }

  /** Resolves once queued work is done (tests wait on it). */
  idle(): Promise<void> { return this.loop.queue.idle(); }
}
