/**
 * Drives one pod on this node towards its spec (Nomad's alloc runner): each sync runs the pod's
 * hooks (hooks.ts) around the container lifecycle: prestart, then for every container to start its
 * prestartContainer hooks and the runtime, then update; a teardown runs prekill, killed and poststop.
 * Level-triggered: sync() reads everything again each time and is safe to call at any moment; calls
 * are serialised per pod.
 */
import type { Container, Pod } from '../../api/pod.js';
import { Annotations } from '../../api/pod.js';
import { ApiError } from '../../api/errors.js';
import { isNodeLost } from '../../api/node-lifecycle.js';
import type { ContainerInfo } from '../../runtime/types.js';
import type { AgentContext } from '../context.js';
import type { ContainerSlot } from '../container-slot.js';
import { ContainerConfigError, Labels } from '../container/container-config.js';
import { policyPod, restartDelay, shouldRestart } from '../restart-policy.js';
import { planInit } from './init-plan.js';
import { postStart, stopWithPreStop } from './lifecycle.js';
import { usesHostNetwork } from './hooks/network.js';
import { isFinal, terminatedState } from './pod-status.js';
import { stopLostPod } from './node-lost.js';
import { configOf, startInstance } from './container-start.js';
import { adoptInstance, seedFromStatus } from './adopt.js';
import type { ContainerPlan, HookResult, PodHook, PodNet, PodRun } from './pod-hook.js';

/** The runner of one pod: its slots, its hooks, and the serialised sync. */
export class PodRunner implements PodRun {
  readonly slots = new Map<string, ContainerSlot>();
  readonly net: PodNet = {};
  terminated = false;
  private readonly hooks: PodHook[];
  private chain: Promise<void> = Promise.resolve();
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  /** When the pending timer fires (ms since the epoch). */
  private timerAt = 0;
  private gone = false;

  constructor(private readonly ctx: AgentContext, public pod: Pod, hooks: (run: PodRun) => PodHook[], adopted: ContainerInfo[] = []) {
    this.hooks = hooks(this);
    for (const info of adopted) adoptInstance(this.slots, info);
    seedFromStatus(this.slots, pod);
  }

  get uid(): string { return this.pod.metadata.uid ?? ''; }

  /** Ask for a sync; several requests while one runs collapse into one more. */
  request(): Promise<void> {
    if (this.pending) return this.chain;
    this.pending = true;
    this.chain = this.chain.then(async () => {
      this.pending = false;
      try { await this.sync(); } catch (e) { this.ctx.log(`pod ${this.pod.metadata.name}: sync failed: ${(e as Error).stack ?? String(e)}`); this.later(2000); }
    });
    return this.chain;
  }

  wake(): void { void this.request(); }

  /** The pod object was deleted from the API: tear everything down. */
  deleted(): Promise<void> { this.gone = true; return this.request(); }

  /**
   * Sync again in ms at the latest. The earliest request wins: a hook asking for an hour from now (a
   * token refresh) must not push back a restart back-off due in half a second; every sync asks again.
   */
  later(ms: number): void {
    const at = Date.now() + Math.max(10, ms);
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => { this.timer = undefined; void this.request(); }, at - Date.now());
    this.timer.unref();
  }

  log(msg: string): void { this.ctx.log(msg); }

  slotFor(name: string): ContainerSlot {
    let slot = this.slots.get(name);
    if (!slot) { slot = { name, attempt: -1, startCount: this.pod.metadata.annotations?.[Annotations.startCount] ?? '0' }; this.slots.set(name, slot); }
    return slot;
  }

  private async sync(): Promise<void> {
    if (this.terminated) return;
    const pod = this.pod;
    if (this.gone || pod.metadata.deletionTimestamp) { await this.teardown(); return; }
    if (isNodeLost(pod)) { await stopLostPod(this.ctx, pod, this.slots); return; }
    await this.refresh();
    for (const h of this.hooks) {
      const wait = await h.prestart?.(this);
      if (wait) { this.later(wait.retryInMs); await this.update(); return; }
    }
    await this.syncContainers(pod);
    await this.update();
    const allFinal = pod.spec.containers.every((c) => isFinal(pod, this.slotFor(c.name)));
    if (allFinal && pod.metadata.annotations?.[Annotations.autoRemove] === 'true') {
      await this.ctx.api.delete('pods', pod.metadata.name, pod.metadata.namespace, { gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  }

  private async update(): Promise<void> {
    for (const h of this.hooks) await h.update?.(this);
  }

  /**
   * Init containers first (init-plan.ts), then each app container: leave it running, or start it per
   * the restart policy and back-off. `lcctl stop` stops them all; a pod whose app containers are all
   * done (a Job's) stops its sidecars.
   */
  private async syncContainers(pod: Pod): Promise<void> {
    const startCount = pod.metadata.annotations?.[Annotations.startCount] ?? '0';
    if (pod.metadata.annotations?.[Annotations.runState] === 'stopped') {
      await this.stopAll(Number(pod.metadata.annotations[Annotations.stopGraceSeconds] ?? pod.spec.terminationGracePeriodSeconds ?? 10));
      return;
    }
    // `lcctl start` of an exited container (a new start count) starts it again, final or not.
    const startAsked = pod.spec.containers.some((c) => this.slotFor(c.name).startCount !== startCount);
    const appsDone = !startAsked && pod.spec.containers.every((c) => isFinal(pod, this.slotFor(c.name)));
    if (appsDone) { await this.stopAll(pod.spec.terminationGracePeriodSeconds ?? 30); return; }
    const init = planInit(pod, this.slots);
    for (const c of init.sync) await this.syncOne(pod, c, startCount);
    if (!init.initialized) return;
    for (const c of pod.spec.containers) await this.syncOne(pod, c, startCount);
  }

  /** One container: leave it running, or start it per its restart policy and back-off. */
  private async syncOne(pod: Pod, c: Container, startCount: string): Promise<void> {
    const slot = this.slotFor(c.name);
    const cur = slot.current;
    if (cur && (cur.status === 'running' || cur.status === 'created')) return;
    const manualStart = slot.startCount !== startCount;
    if (manualStart) { slot.backoffUntil = undefined; }
    const exited = slot.failedStart ?? (cur?.status === 'stopped' ? terminatedState(cur) : undefined);
    if (exited && !manualStart) {
      if (!shouldRestart(policyPod(pod, c.name), exited.exitCode, slot.attempt)) return;
      const ranFor = cur?.startedAt && cur.finishedAt ? Date.parse(cur.finishedAt) - Date.parse(cur.startedAt) : 0;
      const restarts = ranFor > this.ctx.backoff.resetAfterMs ? 0 : slot.attempt + 1;
      slot.backoffUntil ??= Date.now() + restartDelay(restarts, this.ctx.backoff);
      const wait = slot.backoffUntil - Date.now();
      if (wait > 0) { this.later(wait); return; }
    }
    if (!cur && !exited && slot.backoffUntil !== undefined && slot.backoffUntil > Date.now()) { this.later(slot.backoffUntil - Date.now()); return; }
    const attempt = exited !== undefined || manualStart ? slot.attempt + 1 : Math.max(0, slot.attempt);
    await this.startContainer({ container: c, slot, attempt: Math.max(0, attempt), layers: [], extraEnv: {}, mounts: (c.volumeMounts ?? []).map(() => undefined), extraMounts: [] }, startCount);
  }

  /**
   * Stop what runs, as the kubelet orders it: the app containers together (each after its preStop),
   * then the sidecars in reverse order, so a sidecar outlives the containers it serves.
   */
  private async stopAll(graceS: number): Promise<void> {
    const pod = this.pod;
    const podIP = (): string | undefined => (usesHostNetwork(pod) ? '127.0.0.1' : this.net.ip);
    const stop = async (c: Container | undefined, slot: ContainerSlot): Promise<void> => {
      const cur = slot.current;
      if (!cur || cur.status === 'stopped') return;
      await stopWithPreStop(this.ctx, pod, c, cur.id, graceS, podIP).catch((e: unknown) => this.ctx.log(`pod ${pod.metadata.name}: stopping ${slot.name}: ${String(e)}`));
      slot.current = await this.ctx.runtime.inspect(cur.id).catch(() => undefined) ?? cur;
    };
    const inits = pod.spec.initContainers ?? [];
    const initNames = new Set(inits.map((c) => c.name));
    await Promise.all([...this.slots.values()].filter((s) => !initNames.has(s.name)).map((s) => stop(pod.spec.containers.find((c) => c.name === s.name), s)));
    for (const c of [...inits].reverse()) { const s = this.slots.get(c.name); if (s) await stop(c, s); }
  }

  /** Run the prestartContainer hooks in order; any may hold the container back. Then create and start it. */
  private async startContainer(plan: ContainerPlan, startCount: string): Promise<void> {
    const t0 = performance.now();
    const mark = (step: string): void => { if (this.ctx.trace) this.ctx.log(`trace ${this.pod.metadata.name} ${step} +${(performance.now() - t0).toFixed(1)}ms`); };
    let config;
    try {
      for (const h of this.hooks) {
        const wait: HookResult = await h.prestartContainer?.(this, plan);
        mark(h.name);
        if (wait) { if (wait.waiting) plan.slot.waiting = wait.waiting; this.later(wait.retryInMs); return; }
      }
      config = await configOf(this, plan);
    } catch (e) {
      if (!(e instanceof ContainerConfigError)) throw e;
      plan.slot.waiting = { reason: 'CreateContainerConfigError', message: e.message };
      this.later(10_000);
      return;
    }
    await startInstance(this.ctx, this, plan.slot, plan.attempt, config, startCount, mark);
    const cur = plan.slot.current;
    if (cur?.status === 'running' && !(await postStart(this.ctx, this.pod, plan.container, cur.id, () => (usesHostNetwork(this.pod) ? '127.0.0.1' : this.net.ip)))) {
      // The kubelet kills a container whose postStart hook failed; its restart policy does the rest.
      await this.ctx.runtime.stop(cur.id, 0).catch(() => undefined);
    }
    if (plan.slot.current) plan.slot.current = await this.ctx.runtime.inspect(plan.slot.current.id).catch(() => undefined) ?? plan.slot.current;
  }

  /** Re-read each current instance from the runtime (exits happen behind our back). */
  private async refresh(): Promise<void> {
    for (const slot of this.slots.values()) {
      if (slot.current && slot.current.status !== 'stopped') slot.current = await this.ctx.runtime.inspect(slot.current.id) ?? { ...slot.current, status: 'stopped', exitCode: slot.current.exitCode ?? 255 };
    }
  }

  /**
   * Stop every container with the pod's grace, finish the deletion in the API, then remove the
   * containers and run the poststop hooks (network, volumes, ...). The object goes as soon as nothing
   * runs (so `lcctl run --rm` returns promptly); what is left on disk is this node's to clean up, and
   * orphan collection finishes it if the agent dies half-way.
   */
  private async teardown(): Promise<void> {
    const pod = this.pod;
    const grace = this.gone ? 0 : pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    for (const h of this.hooks) await h.prekill?.(this);
    await this.stopAll(grace);
    this.terminated = true;
    if (this.timer) clearTimeout(this.timer);
    for (const h of this.hooks) await h.killed?.(this);
    if (!this.gone) {
      await this.ctx.api.delete('pods', pod.metadata.name, pod.metadata.namespace, { gracePeriodSeconds: 0 }).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.code === 'NotFound')) throw e;
      });
    }
    for (const slot of this.slots.values()) {
      for (const inst of [slot.current, slot.previous]) if (inst) await this.ctx.runtime.remove(inst.id).catch(() => undefined);
    }
    // Once terminated no sync runs again, so a failure here must not skip the poststop hooks (the
    // network namespace, volumes and devices would be left behind for good).
    try {
      const remaining = (await this.ctx.runtime.list()).filter((c) => c.labels[Labels.podUid] === this.uid);
      for (const c of remaining) { await this.ctx.runtime.stop(c.id, 0).catch(() => undefined); await this.ctx.runtime.remove(c.id).catch(() => undefined); }
    } catch (e) {
      this.ctx.log(`pod ${pod.metadata.name}: looking for instances left behind: ${String(e)}`);
    }
    for (const h of [...this.hooks].reverse()) {
      await h.poststop?.(this).catch((e: unknown) => this.ctx.log(`pod ${pod.metadata.name}: ${h.name} poststop: ${String(e)}`));
    }
  }

  /** The instance to read logs or exec in: current, or the previous one on request. */
  instance(container: string | undefined, previous = false): { slot: ContainerSlot; info: ContainerInfo } | undefined {
    const name = container ?? this.pod.spec.containers[0]?.name ?? '';
    const slot = this.slots.get(name);
    const info = previous ? slot?.previous : slot?.current;
    return slot && info ? { slot, info } : undefined;
  }

  /** Wake up soon to notice exits (the runtime is polled while containers run). */
  poll(): void { if (!this.terminated) void this.request(); }
}
