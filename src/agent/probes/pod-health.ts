/**
 * The Docker healthchecks of one pod: for each running instance, the healthcheck its image's
 * HEALTHCHECK (for `lcctl run` pods only; Kubernetes ignores it) and the pod's --health-* annotation
 * make (Docker's merge), run by a HealthChecker whose state goes into the slot for the status hook.
 */
import type { Pod } from '../../api/pod.js';
import type { TimerClock } from '../../api/clock.js';
import { Annotations } from '../../api/annotations.js';
import { podHealthFlags, resolveHealth, type HealthConfig, type ResolvedHealth } from '../../api/healthcheck.js';
import type { ContainerRuntime } from '../../runtime/types.js';
import type { ContainerSlot } from '../container-slot.js';
import { HealthChecker, type HealthExec } from './healthcheck.js';
import { probeHandler } from './probe-handlers.js';

/** What the healthchecks of a pod need from the worker and the node. */
export interface PodHealthDeps {
  clock: TimerClock;
  runtime: ContainerRuntime;
  /** The image config's Healthcheck of an image ID (undefined: none or unknown). */
  imageHealth: (imageId: string) => Promise<HealthConfig | undefined>;
  pod: () => Pod;
  /** The health of an instance changed: sync and report. */
  changed: () => void;
  log: (msg: string) => void;
  /** Tests replace the exec through the runtime. */
  exec?: (containerId: string) => HealthExec;
}

/** Starts, keeps and stops the healthcheckers of one pod's containers. */
export class PodHealth {
  private readonly checkers = new Map<string, { id: string; checker?: HealthChecker }>();

  constructor(private readonly deps: PodHealthDeps) {}

  /** Match the checkers to the slots: a new running instance gets one (if it has a healthcheck), an ended one loses it. */
  async sync(slots: Map<string, ContainerSlot>): Promise<void> {
    const pod = this.deps.pod();
    for (const c of pod.spec.containers) {
      const slot = slots.get(c.name);
      const cur = slot?.current;
      const running = cur !== undefined && cur.status === 'running';
      const have = this.checkers.get(c.name);
      if (have && (!running || have.id !== cur.id)) { have.checker?.stop(); this.checkers.delete(c.name); }
      if (!slot || !running || this.checkers.has(c.name)) continue;
      const id = cur.id;
      this.checkers.set(c.name, { id });
      const hc = await this.resolve(pod, cur.labels['lantern.container.image-id']);
      if (!hc || this.checkers.get(c.name)?.id !== id || slot.current?.id !== id) continue;
      const exec = this.deps.exec?.(id) ?? execIn(this.deps.runtime, id, c);
      const startedAt = Date.parse(cur.startedAt ?? '');
      const checker = new HealthChecker(hc, this.deps.clock, exec, (s) => {
        if (slot.current?.id !== id) return;
        slot.dockerHealth = { ...s, containerId: id };
        this.deps.changed();
      }, Number.isNaN(startedAt) ? this.deps.clock.now() : Math.min(startedAt, this.deps.clock.now()));
      slot.dockerHealth = { ...checker.state, containerId: id };
      this.checkers.set(c.name, { id, checker });
      checker.start();
      this.deps.changed();
    }
  }

  /** Stop every checker (the pod is going away). */
  stop(): void {
    for (const c of this.checkers.values()) c.checker?.stop();
    this.checkers.clear();
  }

  private async resolve(pod: Pod, imageId: string | undefined): Promise<ResolvedHealth | undefined> {
    let flags: HealthConfig | undefined;
    try { flags = podHealthFlags(pod); } catch (e) { this.deps.log(`pod ${pod.metadata.name}: healthcheck ignored: ${(e as Error).message}`); return undefined; }
    // The image's HEALTHCHECK is Docker's; a Kubernetes pod gets a healthcheck only when it asks for one.
    const fromImage = pod.metadata.annotations?.[Annotations.dockerRun] === 'true' && imageId
      ? await this.deps.imageHealth(imageId).catch(() => undefined) : undefined;
    return resolveHealth(flags, fromImage);
  }
}

function execIn(runtime: ContainerRuntime, containerId: string, container: Pod['spec']['containers'][number]): HealthExec {
  const handler = probeHandler({ runtime, containerId, container, podIP: () => undefined });
  return (command, signal) => handler('liveness', { exec: { command } }, signal);
}
