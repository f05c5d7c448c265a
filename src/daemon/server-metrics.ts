/** The server process's metrics: process, scheduler and store, composed here so those layers stay unaware. */
import type { StateStore } from '../store/types.js';
import type { ServerStore } from './datastore.js';
import type { Scheduler, SchedulerHooks } from '../scheduler/scheduler.js';
import { Registry } from '../metrics/registry.js';
import { registerProcessMetrics } from '../metrics/process.js';

/** kube-scheduler's buckets for scheduler_scheduling_attempt_duration_seconds (exponential from 1 ms). */
const attemptBuckets = Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i);
/** Store writes wait for a WAL fdatasync: milliseconds on an SSD, far more on an SD card. */
const commitBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** What the daemon wires: the registry, the store to hand the API, and the scheduler's hooks. */
export interface ServerMetrics {
  registry: Registry;
  store: StateStore;
  schedulerHooks: SchedulerHooks;
  /** Report the scheduler's queue lengths at each scrape. */
  watchScheduler(s: Scheduler): void;
}

/** Builds the registry and wraps the store so every write is timed from submit to durable. */
export function serverMetrics(store: ServerStore): ServerMetrics {
  const registry = new Registry();
  registerProcessMetrics(registry);
  const attempts = registry.counter({ name: 'scheduler_schedule_attempts_total', help: 'Number of attempts to schedule pods, by the result.', labelNames: ['result', 'profile'] });
  const attemptSeconds = registry.histogram({ name: 'scheduler_scheduling_attempt_duration_seconds', help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding decision).', labelNames: ['result', 'profile'], buckets: attemptBuckets });
  const pending = registry.gauge({ name: 'scheduler_pending_pods', help: 'Number of pending pods, by the queue type.', labelNames: ['queue'] });
  const commit = registry.histogram({ name: 'lantern_store_commit_duration_seconds', help: 'Time from submitting a store write to its durable commit, by operation.', labelNames: ['operation'], buckets: commitBuckets });
  const batches = registry.counter({ name: 'lantern_store_commit_batches_total', help: 'Transactions the group committer ran (writes_total / batches_total is the mean batch size).' });
  const writes = registry.counter({ name: 'lantern_store_writes_total', help: 'Successful writes committed.' });
  const revision = registry.gauge({ name: 'lantern_store_revision', help: 'The store\'s current revision.' });
  registry.onCollect(async () => {
    const s = store.commitStats();
    batches.set({}, s.batches);
    writes.set({}, s.writes);
    revision.set({}, await store.currentRevision());
  });
  for (const result of ['scheduled', 'unschedulable', 'error']) attempts.inc({ result, profile: 'default-scheduler' }, 0);

  const timed = <T>(operation: string, p: () => Promise<T>): Promise<T> => {
    const end = commit.startTimer({ operation });
    return p().finally(() => end());
  };
  const instrumented: StateStore = {
    currentRevision: () => store.currentRevision(),
    get: (key) => store.get(key),
    list: (prefix) => store.list(prefix),
    create: (key, value) => timed('create', () => store.create(key, value)),
    update: (key, value, rev) => timed('update', () => store.update(key, value, rev)),
    delete: (key, rev) => timed('delete', () => store.delete(key, rev)),
    watch: (prefix, from, onEvent, onError) => store.watch(prefix, from, onEvent, onError),
    compact: (rev) => store.compact(rev),
    close: () => store.close(),
  };
  return {
    registry,
    store: instrumented,
    schedulerHooks: {
      attempt: (result, seconds) => {
        attempts.inc({ result, profile: 'default-scheduler' });
        attemptSeconds.observe({ result, profile: 'default-scheduler' }, seconds);
      },
    },
    watchScheduler: (s) => registry.onCollect(() => {
      const p = s.pendingPods();
      pending.set({ queue: 'active' }, p.active);
      pending.set({ queue: 'backoff' }, p.backoff);
      pending.set({ queue: 'unschedulable' }, p.unschedulable);
      pending.set({ queue: 'gated' }, 0);
    }),
  };
}
