/**
 * The probers of one pod: one ContainerProber per running container instance that has probes,
 * replaced when the instance changes, with events recorded and unhealthy containers handed back to
 * the worker to kill. Probes change the pod status only through ContainerSlot.health and the
 * worker's own sync, which writes only when something changed.
 */
import type { Pod } from '../../api/pod.js';
import type { TimerClock } from '../../api/clock.js';
import type { EventRecorder } from '../../client/kit/events.js';
import type { ContainerRuntime } from '../../runtime/types.js';
import type { ContainerSlot } from '../container-slot.js';
import { ContainerProber, hasProbes, probeLabel, type ProbeHandler, type ProbeKind } from './probes.js';
import { probeHandler } from './probe-handlers.js';

/** What the probers of a pod need from the worker and the node. */
export interface PodProbesDeps {
  clock: TimerClock;
  runtime: ContainerRuntime;
  events: Pick<EventRecorder, 'record'>;
  /** The pod as it is now (the worker's copy). */
  pod: () => Pod;
  podIP: () => string | undefined;
  /** started or ready changed: sync and report. */
  changed: () => void;
  /** Stop this instance (it failed its liveness or startup probe); the restart policy does the rest. */
  kill: (container: string, containerId: string) => void;
  /** Tests replace the real handlers. */
  handler?: (containerId: string, container: string) => ProbeHandler;
}

/** Starts, keeps and stops the probers of one pod's containers. */
export class PodProbes {
  private readonly probers = new Map<string, { id: string; prober: ContainerProber }>();

  constructor(private readonly deps: PodProbesDeps) {}

  /** Match the probers to the slots: a new running instance gets a prober, an ended one loses it. */
  sync(slots: Map<string, ContainerSlot>): void {
    const pod = this.deps.pod();
    for (const c of pod.spec.containers) {
      const slot = slots.get(c.name);
      const cur = slot?.current;
      const have = this.probers.get(c.name);
      const running = cur !== undefined && cur.status === 'running';
      if (have && (!running || have.id !== cur.id)) { have.prober.stop(); this.probers.delete(c.name); }
      if (!slot || !running || !hasProbes(c) || this.probers.get(c.name)) continue;
      const id = cur.id;
      const handler = this.deps.handler?.(id, c.name) ?? probeHandler({ runtime: this.deps.runtime, containerId: id, container: c, podIP: this.deps.podIP });
      const prober: ContainerProber = new ContainerProber(c, this.deps.clock, handler, {
        changed: () => {
          if (slot.current?.id !== id) return;
          slot.health = { containerId: id, started: prober.started, ready: prober.ready };
          this.deps.changed();
        },
        failed: (kind, message) => { void this.event('Warning', 'Unhealthy', `${probeLabel(kind)} probe failed: ${message}`); },
        unhealthy: (kind) => { void this.killing(c.name, id, kind); },
      });
      slot.health = { containerId: id, started: prober.started, ready: prober.ready };
      this.probers.set(c.name, { id, prober });
      prober.start();
    }
    for (const [name, p] of this.probers) {
      if (!pod.spec.containers.some((c) => c.name === name)) { p.prober.stop(); this.probers.delete(name); }
    }
  }

  /** Stop every prober (the pod is going away). */
  stop(): void {
    for (const p of this.probers.values()) p.prober.stop();
    this.probers.clear();
  }

  private async killing(container: string, id: string, kind: ProbeKind): Promise<void> {
    await this.event('Normal', 'Killing', `Container ${container} failed ${kind} probe, will be restarted`);
    this.deps.kill(container, id);
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): Promise<unknown> {
    return this.deps.events.record(this.deps.pod(), type, reason, message);
  }
}
