import type { Pod } from '../api/pod.js';
import type { WatchEvent } from '../api/meta.js';
import type { Watcher } from '../client/types.js';
import type { ContainerInfo } from '../runtime/types.js';
import type { AgentContext } from './context.js';
import { Labels } from './container-config.js';
import { PodWorker } from './pod-worker.js';

/**
 * Keeps one PodWorker per pod bound to this node: feeds them watch events, polls running containers
 * for exits, and removes containers no pod owns any more (after a crash, a forced delete, or a pod
 * deleted while the agent was down), so no container is left that nobody tracks.
 */
export class PodManager {
  readonly workers = new Map<string, PodWorker>();
  private watcher: Watcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private gcTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly ctx: AgentContext, private readonly pollMs = 1000) {}

  async start(): Promise<void> {
    const selector = { fieldSelector: `spec.nodeName=${this.ctx.nodeName}` };
    const adopted = await this.ctx.runtime.list();
    const listed = await this.ctx.api.list<Pod>('pods', undefined, selector);
    const byUid = new Map<string, ContainerInfo[]>();
    for (const c of adopted) {
      const uid = c.labels[Labels.podUid] ?? '';
      byUid.set(uid, [...(byUid.get(uid) ?? []), c]);
    }
    for (const pod of listed.items) this.upsert(pod, byUid.get(pod.metadata.uid ?? '') ?? []);
    await this.collectOrphans(adopted);
    this.watch(listed.metadata.resourceVersion);
    this.pollTimer = setInterval(() => this.pollRunning(), this.pollMs);
    this.gcTimer = setInterval(() => { void this.collectOrphans().catch((e: unknown) => this.ctx.log(`orphan collection: ${String(e)}`)); }, 30_000);
    this.pollTimer.unref();
    this.gcTimer.unref();
  }

  private watch(resourceVersion: string): void {
    const w = this.ctx.api.watch<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${this.ctx.nodeName}`, resourceVersion }, (e) => this.onEvent(e));
    this.watcher = w;
    w.done.catch(async (e: unknown) => {
      if (this.stopped) return;
      this.ctx.log(`pod watch ended (${(e as Error).message}); resyncing`);
      await new Promise((r) => setTimeout(r, 1000));
      if (this.stopped) return;
      try {
        const listed = await this.ctx.api.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${this.ctx.nodeName}` });
        const seen = new Set<string>();
        for (const pod of listed.items) { this.upsert(pod); seen.add(pod.metadata.uid ?? ''); }
        for (const [uid, w] of this.workers) if (!seen.has(uid)) { void w.deleted(); this.workers.delete(uid); }
        this.watch(listed.metadata.resourceVersion);
      } catch (err) {
        this.ctx.log(`resync failed: ${String(err)}`);
        this.watch('0');
      }
    });
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.gcTimer) clearInterval(this.gcTimer);
  }

  private onEvent(e: WatchEvent<Pod>): void {
    const uid = e.object.metadata.uid ?? '';
    if (e.type === 'DELETED') {
      const w = this.workers.get(uid);
      if (w) { this.workers.delete(uid); void w.deleted(); }
      return;
    }
    this.upsert(e.object);
  }

  private upsert(pod: Pod, adopted: ContainerInfo[] = []): void {
    const uid = pod.metadata.uid ?? '';
    let w = this.workers.get(uid);
    if (!w) {
      w = new PodWorker(this.ctx, pod, adopted);
      this.workers.set(uid, w);
    } else {
      // Status written by the worker itself comes back through the watch: keep the newer object.
      if (Number(pod.metadata.resourceVersion) < Number(w.pod.metadata.resourceVersion)) return;
      w.pod = pod;
    }
    void w.request();
  }

  /** Look for exits of running containers. */
  private pollRunning(): void {
    for (const w of this.workers.values()) {
      if ([...w.slots.values()].some((s) => s.current && s.current.status !== 'stopped')) w.poll();
    }
  }

  /** Remove runtime containers whose pod this node no longer runs. */
  private async collectOrphans(known?: ContainerInfo[]): Promise<void> {
    const all = known ?? await this.ctx.runtime.list();
    for (const c of all) {
      const uid = c.labels[Labels.podUid];
      if (uid !== undefined && this.workers.has(uid)) continue;
      this.ctx.log(`removing container ${c.id.slice(0, 12)} of pod ${c.labels[Labels.podName] ?? '?'}: no pod on this node owns it`);
      await this.ctx.runtime.stop(c.id, 0).catch(() => undefined);
      await this.ctx.runtime.remove(c.id).catch(() => undefined);
      if (uid) await this.ctx.network.tearDown(uid, []).catch(() => undefined);
    }
    // Pod networks whose pod is gone (e.g. deleted while the agent was down before any container ran).
    for (const podId of await this.ctx.network.list?.() ?? []) {
      if (this.workers.has(podId)) continue;
      await this.ctx.network.tearDown(podId, []).catch((e: unknown) => this.ctx.log(`network of gone pod ${podId}: ${String(e)}`));
    }
  }

  /** The worker of a pod by namespace and name. */
  find(namespace: string, name: string): PodWorker | undefined {
    for (const w of this.workers.values()) if (w.pod.metadata.name === name && (w.pod.metadata.namespace ?? 'default') === namespace) return w;
    return undefined;
  }
}
