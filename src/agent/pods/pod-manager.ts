/**
 * Keeps one PodRunner per pod bound to this node, fed by the controller kit's informer of those pods
 * (list, watch, restarts: client/kit), polls running containers for exits, and removes containers no
 * pod owns any more (after a crash, a forced delete, or a pod deleted while the agent was down), so no
 * container is left that nobody tracks.
 */
import { BUILD_NETWORK_ID_PREFIX } from '../../api/build-network.js';
import type { Pod } from '../../api/pod.js';
import { Informer } from '../../client/kit/index.js';
import type { ContainerInfo } from '../../runtime/types.js';
import type { AgentContext } from '../context.js';
import { Labels } from '../container/container-config.js';
import { ConfigCache } from '../config/config-cache.js';
import { GangPeers } from '../gang/gang-peers.js';
import type { DevicePlugin } from './hooks/devices.js';
import { podHooks, type HookKit } from './hooks.js';
import { PodRunner } from './pod-runner.js';
import { skipBackoffOnce } from '../offline/fresh-start.js';
import { firstListOrFailure, forgetPod, recordPod, reconcileAfterOffline } from '../offline/pod-record.js';

/** The runners of this node's pods. */
export class PodManager {
  readonly runners = new Map<string, PodRunner>();
  private readonly kit: HookKit;
  private informer: Informer<Pod> | undefined;
  /** Runtime instances found at start, by pod uid, until their pod's runner takes them. */
  private adopted = new Map<string, ContainerInfo[]>();
  private pollTimer: NodeJS.Timeout | undefined;
  private gcTimer: NodeJS.Timeout | undefined;
  private readonly config: ConfigCache;
  private readonly gang: GangPeers;
  /** Set before start() when the server was out of reach at join: run the record without waiting for a list. */
  offlineStart = false;

  constructor(private readonly ctx: AgentContext, devices: readonly DevicePlugin[] = [], private readonly pollMs = 1000) {
    const base = { api: ctx.api, clock: ctx.clock, log: ctx.log };
    this.config = new ConfigCache(base, ctx.offline);
    this.gang = new GangPeers(base);
    this.kit = { ctx, config: this.config, gang: this.gang, devices, volumeMounters: ctx.volumeMounters ?? [] };
  }

  async start(): Promise<void> {
    const adopted = await this.ctx.runtime.list();
    for (const c of adopted) {
      const uid = c.labels[Labels.podUid] ?? '';
      this.adopted.set(uid, [...(this.adopted.get(uid) ?? []), c]);
    }
    const first = firstListOrFailure();
    const informer = new Informer<Pod>({
      api: this.ctx.api, resource: 'pods', fieldSelector: `spec.nodeName=${this.ctx.nodeName}`, clock: this.ctx.clock,
      log: (m) => { first.told(m); this.ctx.log(`pod watch: ${m}`); },
    });
    this.informer = informer;
    informer.addHandler({ onAdd: (p) => this.upsert(p), onUpdate: (_old, p) => this.upsert(p), onDelete: (p) => this.removed(p) });
    // Edge autonomy: when the first list fails, run the pods this node recorded and reconcile once it lists.
    if (await first.wait(informer.start(), this.ctx.offline, this.offlineStart) === 'offline') {
      for (const p of await this.ctx.offline!.pods()) this.upsert(p);
      void informer.start().then(() => reconcileAfterOffline(this.runners, informer, (p) => this.removed(p), this.ctx.log));
    }
    this.adopted.clear();
    await this.collectOrphans(adopted);
    this.pollTimer = setInterval(() => this.pollRunning(), this.pollMs);
    this.gcTimer = setInterval(() => { void this.collectOrphans().catch((e: unknown) => this.ctx.log(`orphan collection: ${String(e)}`)); }, 30_000);
    this.pollTimer.unref();
    this.gcTimer.unref();
  }

  stop(): void {
    this.informer?.stop();
    this.config.stop();
    this.gang.stop();
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.gcTimer) clearInterval(this.gcTimer);
  }

  private removed(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const r = this.runners.get(uid);
    if (r) { this.runners.delete(uid); void r.deleted(); }
    forgetPod(this.ctx.offline, pod, this.runners.values());
  }

  private upsert(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    let r = this.runners.get(uid);
    if (!r) {
      r = new PodRunner(this.ctx, pod, (run) => podHooks(this.kit, run), this.adopted.get(uid) ?? []);
      if (this.adopted.has(uid)) skipBackoffOnce(r.slots);
      this.adopted.delete(uid);
      this.runners.set(uid, r);
    } else {
      // Status written by the runner itself comes back through the watch: keep the newer object.
      if (Number(pod.metadata.resourceVersion) < Number(r.pod.metadata.resourceVersion)) return;
      r.pod = pod;
    }
    recordPod(this.ctx.offline, pod);
    void r.request();
  }

  /** Look for exits of running containers. */
  private pollRunning(): void {
    for (const r of this.runners.values()) {
      if ([...r.slots.values()].some((s) => s.current && s.current.status !== 'stopped')) r.poll();
    }
  }

  /** Remove runtime containers whose pod this node no longer runs. */
  private async collectOrphans(known?: ContainerInfo[]): Promise<void> {
    const all = known ?? await this.ctx.runtime.list();
    for (const c of all) {
      const uid = c.labels[Labels.podUid];
      if (uid !== undefined && this.runners.has(uid)) continue;
      this.ctx.log(`removing container ${c.id.slice(0, 12)} of pod ${c.labels[Labels.podName] ?? '?'}: no pod on this node owns it`);
      await this.ctx.runtime.stop(c.id, 0).catch(() => undefined);
      await this.ctx.runtime.remove(c.id).catch(() => undefined);
      if (uid) await this.ctx.network.tearDown(uid, []).catch(() => undefined);
    }
    // Pod networks whose pod is gone (e.g. deleted while the agent was down before any container ran).
    for (const podId of await this.ctx.network.list?.() ?? []) {
      // A build step's network is the builder's (it tears down its own, and a crash's leftovers at its next build).
      if (this.runners.has(podId) || podId.startsWith(BUILD_NETWORK_ID_PREFIX)) continue;
      await this.ctx.network.tearDown(podId, []).catch((e: unknown) => this.ctx.log(`network of gone pod ${podId}: ${String(e)}`));
    }
  }

  /** The runner of a pod by namespace and name. */
  find(namespace: string, name: string): PodRunner | undefined {
    for (const r of this.runners.values()) if (r.pod.metadata.name === name && (r.pod.metadata.namespace ?? 'default') === namespace) return r;
    return undefined;
  }
}
