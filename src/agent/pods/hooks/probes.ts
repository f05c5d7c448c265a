/**
 * The probes hook: liveness, readiness and startup probes of the running instances (probes/), on the
 * agent's clock. Each sync hands the slots to the pod's probers; a change of started/ready wakes the
 * pod (the status hook reports it); an instance that failed its liveness or startup probe is stopped
 * with the pod's grace, and the restart policy does the rest.
 */
import { systemClock } from '../../../api/clock.js';
import { EventRecorder } from '../../../client/kit/index.js';
import type { AgentContext } from '../../context.js';
import { PodProbes } from '../../probes/probe-runner.js';
import { PodHealth } from '../../probes/pod-health.js';
import type { PodHook, PodRun } from '../pod-hook.js';
import { usesHostNetwork } from './network.js';

/** The probes hook of one pod. */
export class ProbesHook implements PodHook {
  readonly name = 'probes';
  private readonly probes: PodProbes;
  /** Docker's HEALTHCHECK of `lcctl run` containers. */
  private readonly health: PodHealth;

  constructor(private readonly ctx: AgentContext, private readonly run: PodRun) {
    const clock = ctx.clock ?? systemClock;
    this.probes = new PodProbes({
      clock, runtime: ctx.runtime, events: new EventRecorder(ctx.api, 'kubelet', () => new Date(clock.now())),
      pod: () => run.pod,
      podIP: () => (usesHostNetwork(run.pod) ? '127.0.0.1' : run.net.ip),
      changed: () => run.wake(),
      kill: (name, id) => this.killUnhealthy(name, id),
    });
    this.health = new PodHealth({
      clock, runtime: ctx.runtime, pod: () => run.pod, changed: () => run.wake(), log: (m) => ctx.log(m),
      imageHealth: async (id) => (await ctx.images.resolve(id))?.config.Healthcheck,
    });
  }

  async update(run: PodRun): Promise<void> { this.probes.sync(run.slots); await this.health.sync(run.slots); }

  async prekill(): Promise<void> { this.probes.stop(); this.health.stop(); }

  /** Stop an instance that failed its liveness or startup probe; the next sync restarts it per the policy. */
  private killUnhealthy(name: string, id: string): void {
    const run = this.run;
    const cur = run.slots.get(name)?.current;
    if (run.terminated || cur?.id !== id) return;
    void this.ctx.runtime.stop(id, run.pod.spec.terminationGracePeriodSeconds ?? 30)
      .catch((e: unknown) => this.ctx.log(`pod ${run.pod.metadata.name}: stopping unhealthy container ${name}: ${String(e)}`))
      .then(() => run.wake());
  }
}
