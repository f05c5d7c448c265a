import { rm } from 'node:fs/promises';
import type { Pod, Container } from '../api/pod.js';
import { Annotations } from '../api/pod.js';
import { ApiError } from '../api/errors.js';
import type { ContainerInfo } from '../runtime/types.js';
import type { PortMapping, PodNetwork } from '../network/types.js';
import type { AgentContext } from './context.js';
import type { ContainerSlot } from './container-slot.js';
import { ContainerConfigError, Labels, buildContainerConfig } from './container-config.js';
import { computePodStatus, isFinal, sameStatus, terminatedState } from './pod-status.js';
import { restartDelay, shouldRestart } from './restart-policy.js';
import { isNodeLost } from '../api/node-lifecycle.js';
import { stopLostPod } from './node-lost.js';
import { ensureImage } from './image-pull.js';
import { unmountSecretVolumes } from './config-volume.js';
import { PodProbes } from './probe-runner.js';
import { EventRecorder } from '../client/events.js';
import { systemClock } from '../api/clock.js';
import { isGangMember, readGang } from './gang-wait.js';
import type { GangConfig, GangResolution } from './gang-members.js';

/** Map a runtime start failure to Docker's exit codes: 127 not found, 126 cannot execute. */
function startFailureExitCode(message: string): number | undefined {
  if (/executable file not found|no such file or directory|not found in \$PATH/i.test(message)) return 127;
  if (/permission denied|exec format error|is a directory/i.test(message)) return 126;
  return undefined;
}

/** The ports a pod publishes on the host (-p). */
export function podPorts(pod: Pod): PortMapping[] {
  return pod.spec.containers.flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort !== undefined).map((p) => ({
    hostPort: p.hostPort!,
    containerPort: p.containerPort,
    protocol: (p.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp',
    hostIP: p.hostIP,
  })));
}

const usesHostNetwork = (pod: Pod): boolean => pod.spec.hostNetwork === true || pod.spec.networkMode === 'host';

/**
 * Drives one pod on this node towards its spec: network, image, containers started, restarted with
 * back-off or stopped, status reported. Level-triggered: sync() reads everything again each time and
 * is safe to call at any moment; calls are serialised per pod.
 */
export class PodWorker {
  readonly slots = new Map<string, ContainerSlot>();
  private network: PodNetwork | undefined;
  /** The pod network being set up; resolves false when it failed. */
  private networkReady: Promise<boolean> | undefined;
  /** Resolves with the namespace path as soon as it exists (before the plugins finish). */
  private namespaceReady: Promise<string | undefined> = Promise.resolve(undefined);
  private netnsPath: string | undefined;
  private chain: Promise<void> = Promise.resolve();
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private gone = false;
  terminated = false;
  private readonly probes: PodProbes;

  constructor(private readonly ctx: AgentContext, public pod: Pod, adopted: ContainerInfo[] = []) {
    const clock = ctx.clock ?? systemClock;
    this.probes = new PodProbes({
      clock, runtime: ctx.runtime, events: new EventRecorder(ctx.api, 'kubelet', () => new Date(clock.now())),
      pod: () => this.pod,
      podIP: () => (usesHostNetwork(this.pod) ? '127.0.0.1' : this.network?.ip),
      changed: () => { void this.request(); },
      kill: (name, id) => this.killUnhealthy(name, id),
    });
    for (const info of adopted) this.adopt(info);
    this.seedFromStatus();
  }

  /**
   * A container that already ended before an agent restart and left no runtime instance (it could not
   * start) is known only from the reported status: take that over so it is not run a second time.
   */
  private seedFromStatus(): void {
    for (const cs of this.pod.status?.containerStatuses ?? []) {
      if (this.slots.has(cs.name)) continue;
      const term = cs.state.terminated ?? (cs.state.waiting?.reason === 'CrashLoopBackOff' ? cs.lastState?.terminated : undefined);
      if (!term) continue;
      this.slots.set(cs.name, { name: cs.name, attempt: cs.restartCount, failedStart: term, startCount: this.pod.metadata.annotations?.[Annotations.startCount] ?? '0' });
    }
  }

  get uid(): string { return this.pod.metadata.uid ?? ''; }

  /** Take over an instance found in the runtime after an agent restart. */
  private adopt(info: ContainerInfo): void {
    const name = info.labels[Labels.container] ?? '';
    const attempt = Number(info.labels[Labels.attempt] ?? '0');
    const slot = this.slots.get(name) ?? { name, attempt: -1, startCount: '0' };
    if (attempt > slot.attempt) {
      if (slot.current) slot.previous = slot.current;
      slot.current = info;
      slot.attempt = attempt;
      slot.startCount = info.labels[Labels.startCount] ?? '0';
    } else if (!slot.previous || attempt > Number(slot.previous.labels[Labels.attempt] ?? '0')) {
      slot.previous = info;
    }
    if (slot.previous?.status === 'stopped') slot.lastTerminated = terminatedState(slot.previous);
    this.slots.set(name, slot);
  }

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

  /** The pod object was deleted from the API: tear everything down. */
  deleted(): Promise<void> { this.gone = true; return this.request(); }

  private later(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.request(); }, Math.max(10, ms));
    this.timer.unref();
  }

  private async sync(): Promise<void> {
    if (this.terminated) return;
    const pod = this.pod;
    if (this.gone || pod.metadata.deletionTimestamp) { await this.teardown(); return; }
    if (isNodeLost(pod)) { await stopLostPod(this.ctx, pod, this.slots); return; }
    const t0 = performance.now();
    await this.refresh();
    const stoppedByUser = pod.metadata.annotations?.[Annotations.runState] === 'stopped';
    const startCount = pod.metadata.annotations?.[Annotations.startCount] ?? '0';
    if (!usesHostNetwork(pod) && !this.network && !stoppedByUser) {
      // The namespace exists a moment after setUp begins; containers are created while the CNI
      // plugins still run, and only started once they are done (see startContainer).
      this.networkReady ??= this.setUpNetwork().then((ok) => { if (!ok) this.networkReady = undefined; return ok; });
      this.netnsPath = await Promise.race([this.namespaceReady, this.networkReady.then(() => this.network?.netnsPath)]);
      if (!this.netnsPath) { this.networkReady = undefined; await this.report(); return; }
      if (process.env.LANTERN_TRACE) this.ctx.log(`trace ${pod.metadata.name} netns +${(performance.now() - t0).toFixed(1)}ms`);
    }
    let gang: GangResolution | undefined;
    for (const c of pod.spec.containers) {
      const slot = this.slotFor(c.name);
      const cur = slot.current;
      if (cur && (cur.status === 'running' || cur.status === 'created')) {
        if (stoppedByUser) {
          const grace = Number(pod.metadata.annotations?.[Annotations.stopGraceSeconds] ?? pod.spec.terminationGracePeriodSeconds ?? 10);
          await this.ctx.runtime.stop(cur.id, grace);
          slot.current = await this.ctx.runtime.inspect(cur.id) ?? cur;
        }
        continue;
      }
      if (stoppedByUser) continue;
      const manualStart = slot.startCount !== startCount;
      if (manualStart) { slot.backoffUntil = undefined; }
      const exited = slot.failedStart ?? (cur?.status === 'stopped' ? terminatedState(cur) : undefined);
      if (exited && !manualStart) {
        if (!shouldRestart(pod, exited.exitCode, slot.attempt)) continue;
        const ranFor = cur?.startedAt && cur.finishedAt ? Date.parse(cur.finishedAt) - Date.parse(cur.startedAt) : 0;
        const restarts = ranFor > this.ctx.backoff.resetAfterMs ? 0 : slot.attempt + 1;
        slot.backoffUntil ??= Date.now() + restartDelay(restarts, this.ctx.backoff);
        const wait = slot.backoffUntil - Date.now();
        if (wait > 0) { this.later(wait); continue; }
      }
      if (!cur && !exited && slot.backoffUntil !== undefined && slot.backoffUntil > Date.now()) { this.later(slot.backoffUntil - Date.now()); continue; }
      if (isGangMember(pod) && !usesHostNetwork(pod)) {
        // Every member must know the others' addresses first; re-read each sync (level-triggered), never blocking deletion.
        gang ??= await this.resolveGang();
        if ('waiting' in gang) { if (gang.waiting) slot.waiting = { reason: 'WaitingForGang', message: gang.waiting }; this.later(1000); continue; }
      }
      await this.startContainer(c, slot, exited !== undefined || manualStart ? slot.attempt + 1 : Math.max(0, slot.attempt), startCount, gang && 'config' in gang ? gang.config : undefined);
    }
    this.probes.sync(this.slots);
    await this.report();
    const allFinal = pod.spec.containers.every((c) => isFinal(pod, this.slotFor(c.name)));
    if (allFinal && pod.metadata.annotations?.[Annotations.autoRemove] === 'true') {
      await this.ctx.api.delete('pods', pod.metadata.name, pod.metadata.namespace, { gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  }

  private slotFor(name: string): ContainerSlot {
    let slot = this.slots.get(name);
    if (!slot) { slot = { name, attempt: -1, startCount: this.pod.metadata.annotations?.[Annotations.startCount] ?? '0' }; this.slots.set(name, slot); }
    return slot;
  }

  /** Re-read each current instance from the runtime (exits happen behind our back). */
  private async refresh(): Promise<void> {
    for (const slot of this.slots.values()) {
      if (slot.current && slot.current.status !== 'stopped') slot.current = await this.ctx.runtime.inspect(slot.current.id) ?? { ...slot.current, status: 'stopped', exitCode: slot.current.exitCode ?? 255 };
    }
  }

  private async setUpNetwork(): Promise<boolean> {
    const pod = this.pod;
    let announce: (path: string | undefined) => void = () => undefined;
    this.namespaceReady = new Promise((resolve) => { announce = resolve; });
    try {
      this.network = await this.ctx.network.existing(this.uid)
        ?? await this.ctx.network.setUp(this.uid, pod.spec.networkMode === 'none' ? 'none' : 'bridge', podPorts(pod), (path) => announce(path));
      announce(this.network.netnsPath);
      return true;
    } catch (e) {
      announce(undefined);
      const message = `failed to set up the pod network: ${(e as Error).message}`;
      for (const c of pod.spec.containers) this.slotFor(c.name).waiting = { reason: 'CreateContainerError', message };
      this.later(5000);
      return false;
    }
  }

  /** The gang's env and hosts once every member has an address (this pod's IP is published by report()). */
  private async resolveGang(): Promise<GangResolution> {
    if (this.networkReady && !(await this.networkReady)) return { waiting: '' };
    if (!this.network?.ip) return { waiting: '' };
    try { return await readGang(this.ctx.api, this.pod, this.network.ip); } catch (e) { return { waiting: `cannot read the members of the group: ${(e as Error).message}` }; }
  }

  private async startContainer(c: Container, slot: ContainerSlot, attempt: number, startCount: string, gang?: GangConfig): Promise<void> {
    const { images, runtime } = this.ctx;
    const t0 = performance.now();
    const mark = (step: string): void => { if (process.env.LANTERN_TRACE) this.ctx.log(`trace ${this.pod.metadata.name} ${step} +${(performance.now() - t0).toFixed(1)}ms`); };
    const found = await ensureImage(this.ctx, c, slot, () => { void this.request(); });
    if (!('image' in found)) {
      slot.backoffUntil = Date.now() + found.retryInMs;
      this.later(found.retryInMs);
      return;
    }
    const image = found.image;
    const layers = await images.layerDirs(image);
    mark('image');
    let config;
    try {
      config = await buildContainerConfig({ pod: this.pod, container: c, image, layers, netns: usesHostNetwork(this.pod) ? 'host' : this.network?.netnsPath ?? this.netnsPath!, attempt: Math.max(0, attempt), volumes: this.ctx.volumes, api: this.ctx.api, gang });
    } catch (e) {
      if (!(e instanceof ContainerConfigError)) throw e;
      slot.waiting = { reason: 'CreateContainerConfigError', message: e.message };
      this.later(10_000);
      return;
    }
    // Keep one previous instance for `logs --previous`; older ones go.
    if (slot.previous) await runtime.remove(slot.previous.id).catch(() => undefined);
    if (slot.current) { slot.previous = slot.current; slot.lastTerminated = terminatedState(slot.current); }
    else if (slot.failedStart) slot.lastTerminated = slot.failedStart;
    slot.current = undefined;
    slot.failedStart = undefined;
    slot.waiting = undefined;
    slot.backoffUntil = undefined;
    slot.attempt = Math.max(0, attempt);
    slot.startCount = startCount;
    try {
      mark('config');
      slot.current = await runtime.create(config);
      mark('create');
      if (this.networkReady && !(await this.networkReady)) {
        // The pod network failed after the namespace existed: this container must not run without it.
        await runtime.remove(config.id).catch(() => undefined);
        slot.current = undefined;
        return;
      }
      mark('network');
      await runtime.start(config.id);
      mark('start');
      slot.current = await runtime.inspect(config.id) ?? slot.current;
      mark('inspect2');
    } catch (e) {
      const message = (e as Error).message;
      const code = startFailureExitCode(message);
      await runtime.remove(config.id).catch(() => undefined);
      slot.current = undefined;
      if (code === undefined) {
        slot.waiting = { reason: 'CreateContainerError', message };
        this.later(10_000);
        return;
      }
      const at = new Date().toISOString();
      slot.failedStart = { exitCode: code, reason: 'ContainerCannotRun', message, startedAt: at, finishedAt: at };
      if (shouldRestart(this.pod, code, slot.attempt)) this.later(restartDelay(slot.attempt + 1, this.ctx.backoff));
    }
  }

  private async report(): Promise<void> {
    const pod = this.pod;
    const status = computePodStatus(pod, this.slots, { podIP: this.network?.ip, hostIP: this.ctx.hostIP });
    if (sameStatus(pod.status, status)) return;
    for (let i = 0; i < 3; i++) {
      try {
        const fresh = i === 0 ? pod : await this.ctx.api.get<Pod>('pods', pod.metadata.name, pod.metadata.namespace);
        if (fresh.metadata.uid !== pod.metadata.uid || isNodeLost(fresh)) return;
        this.pod = await this.ctx.api.updateStatus<Pod>('pods', { ...fresh, status: computePodStatus(fresh, this.slots, { podIP: this.network?.ip, hostIP: this.ctx.hostIP }) });
        return;
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NotFound') return;
        if (!(e instanceof ApiError && e.code === 'Conflict')) throw e;
      }
    }
  }

  /**
   * Stop every container with the pod's grace, finish the deletion in the API, then remove the
   * containers and detach the network. The object goes as soon as nothing runs (so `lcctl run --rm`
   * returns promptly); what is left on disk is this node's to clean up, and orphan collection finishes
   * it if the agent dies half-way.
   */
  private async teardown(): Promise<void> {
    const pod = this.pod;
    const grace = this.gone ? 0 : pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    this.probes.stop();
    await Promise.all([...this.slots.values()].map(async (slot) => {
      if (slot.current && slot.current.status !== 'stopped') await this.ctx.runtime.stop(slot.current.id, grace).catch(() => undefined);
    }));
    this.terminated = true;
    if (this.timer) clearTimeout(this.timer);
    // Published ports are released before the object goes, so a new pod may take them right away.
    const ports = podPorts(pod);
    if (ports.length > 0 && !usesHostNetwork(pod)) await this.tearDownNetwork(ports);
    if (!this.gone) {
      await this.ctx.api.delete('pods', pod.metadata.name, pod.metadata.namespace, { gracePeriodSeconds: 0 }).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.code === 'NotFound')) throw e;
      });
    }
    for (const slot of this.slots.values()) {
      for (const inst of [slot.current, slot.previous]) if (inst) await this.ctx.runtime.remove(inst.id).catch(() => undefined);
    }
    const remaining = (await this.ctx.runtime.list()).filter((c) => c.labels[Labels.podUid] === this.uid);
    for (const c of remaining) { await this.ctx.runtime.stop(c.id, 0).catch(() => undefined); await this.ctx.runtime.remove(c.id).catch(() => undefined); }
    if (ports.length === 0 && !usesHostNetwork(pod)) await this.tearDownNetwork(ports);
    // Secret volumes are tmpfs mounts: unmount them first, or rm stops at a busy mount point.
    await unmountSecretVolumes(this.ctx.volumes.podDir(this.uid)).catch(() => undefined);
    await rm(this.ctx.volumes.podDir(this.uid), { recursive: true, force: true });
  }

  private async tearDownNetwork(ports: PortMapping[]): Promise<void> {
    await this.ctx.network.tearDown(this.uid, ports).catch((e: unknown) => this.ctx.log(`pod ${this.pod.metadata.name}: network teardown: ${String(e)}`));
  }

  /** Stop an instance that failed its liveness or startup probe; the next sync restarts it per the policy. */
  private killUnhealthy(name: string, id: string): void {
    const cur = this.slots.get(name)?.current;
    if (this.terminated || cur?.id !== id) return;
    void this.ctx.runtime.stop(id, this.pod.spec.terminationGracePeriodSeconds ?? 30)
      .catch((e: unknown) => this.ctx.log(`pod ${this.pod.metadata.name}: stopping unhealthy container ${name}: ${String(e)}`))
      .then(() => this.request());
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
