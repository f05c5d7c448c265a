import { ApiError } from '../api/errors.js';
import type { WatchEvent } from '../api/meta.js';
import type { ContainerStatus, Pod, PodStatus } from '../api/pod.js';
import type { Clock } from './clock.js';
import { DueQueue } from './due-queue.js';
import type { SimNode } from './heartbeats.js';
import type { FakePodIPs } from './sim-node.js';
import type { WorkPool } from './work-pool.js';

/** A simulated node as the runner needs it: its client and its fake pod address range. */
export interface RunnerNode extends SimNode { ips: FakePodIPs }

export interface FakePodRunnerOptions {
  clock: Clock;
  pool: WorkPool;
  /** Our node of that name, or undefined for a node this process does not simulate. */
  nodeOf: (name: string) => RunnerNode | undefined;
  /** When set, pods report Succeeded (exit 0, Completed) this long after they started. */
  runForMs?: number;
}

type Condition = NonNullable<PodStatus['conditions']>[number];

interface Tracked {
  uid: string; namespace: string; name: string; node: RunnerNode; ip: string; startedAt: string;
  containers: { name: string; image: string }[]; scheduled: Condition[]; done: boolean;
}

/**
 * A FAKE runtime for simulated nodes: nothing runs. A pod bound to one of our nodes is reported
 * Running at once (every container running and ready, a fake pod IP), and Succeeded after runForMs
 * when given; a pod marked for deletion is finalized (deleted with grace 0) at once. Fed by the
 * process's single pod watch; every write goes through the shared bounded pool.
 */
export class FakePodRunner {
  private readonly tracked = new Map<string, Tracked>();
  private readonly deleting = new Set<string>();
  private readonly completions: DueQueue<string>;

  constructor(private readonly opts: FakePodRunnerOptions) {
    this.completions = new DueQueue(opts.clock, (uid) => this.complete(uid));
  }

  /** Pods this runner is currently reporting on (running or finished, not yet deleted). */
  get size(): number { return this.tracked.size; }

  stop(): void { this.completions.stop(); }

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
    if (this.tracked.has(uid)) return;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    // A pod already Running was ours before a restart: adopt it with its start time and address.
    const adopted = phase === 'Running' && pod.status?.startTime !== undefined && pod.status.podIP !== undefined;
    const now = this.opts.clock.now();
    const t: Tracked = {
      uid, namespace, name, node,
      ip: adopted ? pod.status!.podIP! : node.ips.allocate(),
      startedAt: adopted ? pod.status!.startTime! : new Date(now).toISOString(),
      containers: pod.spec.containers.map((c) => ({ name: c.name, image: c.image })),
      scheduled: (pod.status?.conditions ?? []).filter((c) => c.type === 'PodScheduled'),
      done: false,
    };
    this.tracked.set(uid, t);
    if (!adopted) this.write(t, this.running(t));
    if (this.opts.runForMs !== undefined) this.completions.push(Date.parse(t.startedAt) + this.opts.runForMs, uid);
  }

  private complete(uid: string): void {
    const t = this.tracked.get(uid);
    if (!t || t.done) return;
    t.done = true;
    this.write(t, this.succeeded(t, new Date(this.opts.clock.now()).toISOString()));
  }

  private write(t: Tracked, status: PodStatus): void {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: t.name, namespace: t.namespace, uid: t.uid }, status } as unknown as Pod;
    this.opts.pool.submit(() => ignoreNotFound(t.node.api.updateStatus('pods', pod)), `pod/${t.uid}`);
  }

  private base(t: Tracked, phase: PodStatus['phase'], ready: boolean, containerStatuses: ContainerStatus[]): PodStatus {
    const cond = (type: string, ok: boolean, reason?: string): Condition => ({
      type, status: ok ? 'True' : 'False', lastTransitionTime: t.startedAt, ...(reason ? { reason } : {}),
    });
    const reason = ready ? undefined : 'PodCompleted';
    return {
      phase,
      conditions: [...t.scheduled, cond('Initialized', true), cond('ContainersReady', ready, reason), cond('Ready', ready, reason)],
      containerStatuses,
      startTime: t.startedAt,
      hostIP: t.node.desired.status?.addresses?.[0]?.address ?? '',
      podIP: t.ip,
      podIPs: [{ ip: t.ip }],
    };
  }

  private running(t: Tracked): PodStatus {
    return this.base(t, 'Running', true, t.containers.map((c) => ({
      name: c.name, state: { running: { startedAt: t.startedAt } }, ready: true, restartCount: 0,
      image: c.image, imageID: '', containerID: `fake://${t.uid}/${c.name}`, started: true,
    })));
  }

  private succeeded(t: Tracked, at: string): PodStatus {
    return this.base(t, 'Succeeded', false, t.containers.map((c) => ({
      name: c.name,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t.startedAt, finishedAt: at, containerID: `fake://${t.uid}/${c.name}` } },
      ready: false, restartCount: 0, image: c.image, imageID: '', containerID: `fake://${t.uid}/${c.name}`, started: false,
    })));
  }
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try { await p; } catch (e) { if (!(e instanceof ApiError && e.code === 'NotFound')) throw e; }
}
