import { Annotations } from '../api/annotations.js';
import { ApiError } from '../api/errors.js';
import type { WatchEvent } from '../api/meta.js';
import type { Pod, PodStatus } from '../api/pod.js';
import type { Clock } from './clock.js';
import { DueQueue } from './due-queue.js';
import { fakeBehavior, type FakeBehavior } from './fake-behavior.js';
import { exitedStatus, runningStatus, waitingStatus, type FakePodView } from './fake-pod-status.js';
import type { SimNode } from './heartbeats.js';
import type { WorkPool } from './work-pool.js';

/** Hands out one node's fake pod addresses. */
export interface PodIPs { allocate(): string }

/** A simulated node as the runner needs it: its client and its fake pod address range. */
export interface RunnerNode extends SimNode { ips: PodIPs }

export interface FakePodRunnerOptions {
  clock: Clock;
  pool: WorkPool;
  /** Our node of that name, or undefined for a node this process does not simulate. */
  nodeOf: (name: string) => RunnerNode | undefined;
  /** Pods that name no run time of their own exit this long after they started (lanternd sim --run-for). */
  runForMs?: number;
  /** How a pod behaves when its fake-* annotations and env should not decide (a test's own conventions); undefined: they decide. */
  behaviorOf?: (pod: Pod, node: string) => FakeBehavior | undefined;
}

interface Tracked extends FakePodView {
  namespace: string; name: string; node: RunnerNode; behavior: FakeBehavior;
  /** The pod's start-count annotation at this run's start (lcctl start/restart bump it). */
  startCount: string;
  state: 'running' | 'exited' | 'waiting';
  autoRemove: boolean;
}

/**
 * A FAKE runtime for simulated nodes: nothing runs. A pod bound to one of our nodes is reported
 * Running at once (every container running and ready, a fake pod IP), and exits as the pod asks
 * (fake-behavior.ts: after a run time, with an exit code, or never starts); `lcctl stop` (run-state)
 * ends it with 143, a new start-count starts it again, and an auto-remove pod is deleted once it
 * exited; a pod marked for deletion is finalized (deleted with grace 0) at once. Fed by the process's
 * pod watch; every write goes through the shared bounded pool, in order per pod.
 */
export class FakePodRunner {
  private readonly tracked = new Map<string, Tracked>();
  private readonly deleting = new Set<string>();
  /** One queue (one timer) per run time: within one, completions arrive in due order. */
  private readonly completions = new Map<number, DueQueue<{ uid: string; run: number }>>();

  constructor(private readonly opts: FakePodRunnerOptions) {}

  /** Pods this runner is currently reporting on (running or finished, not yet deleted). */
  get size(): number { return this.tracked.size; }

  stop(): void { for (const q of this.completions.values()) q.stop(); }

  /** React to one pod watch event; safe to see the same state again (our own writes echo back). */
  handle(e: WatchEvent<Pod>): void {
    const pod = e.object;
    const uid = pod.metadata?.uid;
    if (!uid || (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED')) return;
    if (e.type === 'DELETED') { this.tracked.delete(uid); this.deleting.delete(uid); return; }
    const node = pod.spec?.nodeName ? this.opts.nodeOf(pod.spec.nodeName) : undefined;
    if (!node) return;
    const { name, namespace = 'default' } = pod.metadata;
    if (pod.metadata.deletionTimestamp !== undefined) {
      this.tracked.delete(uid);
      if (this.deleting.has(uid)) return;
      this.deleting.add(uid);
      this.opts.pool.submit(() => ignoreNotFound(node.api.delete('pods', name, namespace, { gracePeriodSeconds: 0 })), `pod/${uid}`);
      return;
    }
    const stopped = pod.metadata.annotations?.[Annotations.runState] === 'stopped';
    const startCount = pod.metadata.annotations?.[Annotations.startCount] ?? '0';
    const known = this.tracked.get(uid);
    if (known) {
      if (stopped && known.state === 'running') this.exit(known, 143);
      else if (!stopped && known.startCount !== startCount) this.begin(Object.assign(known, { run: known.run + 1, startCount, startedAt: this.now(), behavior: this.behaviorOf(pod, node) }));
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed' || stopped) return;
    // A pod already Running was ours before a restart: adopt it with its start time and address.
    const adopted = phase === 'Running' && pod.status?.startTime !== undefined && pod.status.podIP !== undefined;
    const t: Tracked = {
      uid, namespace, name, node, run: 0, startCount, state: 'running',
      ip: adopted ? pod.status!.podIP! : node.ips.allocate(),
      hostIP: node.desired.status?.addresses?.[0]?.address ?? '',
      startedAt: adopted ? pod.status!.startTime! : this.now(),
      containers: pod.spec.containers.map((c) => ({ name: c.name, image: c.image })),
      scheduled: (pod.status?.conditions ?? []).filter((c) => c.type === 'PodScheduled'),
      behavior: this.behaviorOf(pod, node),
      autoRemove: pod.metadata.annotations?.[Annotations.autoRemove] === 'true',
    };
    this.tracked.set(uid, t);
    if (adopted) this.scheduleExit(t); else this.begin(t);
  }

  private behaviorOf(pod: Pod, node: RunnerNode): FakeBehavior {
    return this.opts.behaviorOf?.(pod, node.name) ?? fakeBehavior(pod, this.opts.runForMs);
  }

  /** Start the pod's current run: it waits forever with its start error, or runs (and exits when its time is up). */
  private begin(t: Tracked): void {
    const err = t.behavior.startError;
    t.state = err ? 'waiting' : 'running';
    this.write(t, err ? waitingStatus(t, err.reason, err.message) : runningStatus(t));
    if (!err) this.scheduleExit(t);
  }

  private scheduleExit(t: Tracked): void {
    const ms = t.behavior.runForMs;
    if (ms === undefined) return;
    let q = this.completions.get(ms);
    if (!q) {
      q = new DueQueue(this.opts.clock, ({ uid, run }) => {
        const due = this.tracked.get(uid);
        if (due && due.run === run) this.exit(due, due.behavior.exitCode);
      });
      this.completions.set(ms, q);
    }
    q.push(Date.parse(t.startedAt) + ms, { uid: t.uid, run: t.run });
  }

  private exit(t: Tracked, code: number): void {
    if (t.state !== 'running') return;
    t.state = 'exited';
    this.write(t, exitedStatus(t, code, this.now()), t.autoRemove);
  }

  /** Post the status (last-wins: the sim owns it), then delete the pod when asked; queued per pod. */
  private write(t: Tracked, status: PodStatus, remove = false): void {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: t.name, namespace: t.namespace, uid: t.uid }, status } as unknown as Pod;
    this.opts.pool.submit(async () => {
      await ignoreNotFound(t.node.api.updateStatus('pods', pod));
      if (remove) await ignoreNotFound(t.node.api.delete('pods', t.name, t.namespace, { gracePeriodSeconds: 0 }));
    }, `pod/${t.uid}`);
  }

  private now(): string { return new Date(this.opts.clock.now()).toISOString(); }
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try { await p; } catch (e) { if (!(e instanceof ApiError && e.code === 'NotFound')) throw e; }
}
