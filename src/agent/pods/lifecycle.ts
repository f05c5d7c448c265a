/**
 * Container lifecycle hooks (Kubernetes' postStart and preStop): exec in the container, an HTTP GET
 * or TCP connect to the pod, or a sleep. preStop runs before the stop signal and the grace period
 * counts it: SIGTERM follows the hook, SIGKILL the end of the grace (with the kubelet's 2 seconds more
 * when the hook used it all up).
 */
import type { Container, LifecycleHandler, Pod, Probe } from '../../api/schema/pod.js';
import { EventRecorder } from '../../client/kit/index.js';
import type { AgentContext } from '../context.js';
import { probeHandler } from '../probes/probe-handlers.js';
import type { ProbeResult } from '../probes/probes.js';

/** The kubelet's minimum grace left for SIGTERM after a preStop hook that overran. */
const minGraceAfterHookS = 2;

/** The pod IP a hook's httpGet/tcpSocket goes to (127.0.0.1 for a host-network pod). */
export type PodIp = () => string | undefined;

/** Run one handler against a container instance, cut short after timeoutMs. */
export async function runLifecycleHandler(ctx: AgentContext, containerId: string, container: Container, h: LifecycleHandler, podIP: PodIp, timeoutMs: number): Promise<ProbeResult> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), Math.max(1, timeoutMs));
  timer.unref();
  try {
    if (h.sleep) {
      const ms = Math.min(h.sleep.seconds * 1000, timeoutMs);
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, ms); t.unref(); ac.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true }); });
      return { ok: true };
    }
    const probe: Probe = { exec: h.exec, httpGet: h.httpGet, tcpSocket: h.tcpSocket };
    return await probeHandler({ runtime: ctx.runtime, containerId, container, podIP })('liveness', probe, ac.signal);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

function recorder(ctx: AgentContext): EventRecorder {
  return new EventRecorder(ctx.api, 'kubelet');
}

/**
 * Run postStart after the process started; false when it failed (the caller kills the instance).
 * A failure is a FailedPostStartHook event, as the kubelet records it.
 */
export async function postStart(ctx: AgentContext, pod: Pod, container: Container, containerId: string, podIP: PodIp): Promise<boolean> {
  const h = container.lifecycle?.postStart;
  if (!h) return true;
  const r = await runLifecycleHandler(ctx, containerId, container, h, podIP, (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000);
  if (r.ok) return true;
  await recorder(ctx).record(pod, 'Warning', 'FailedPostStartHook', `PostStartHook failed for container ${container.name}: ${r.message ?? 'failed'}`).catch(() => undefined);
  return false;
}

/**
 * Stop one instance as the kubelet does: its preStop hook (if any) within the grace period, then the
 * runtime's stop (SIGTERM, SIGKILL after what is left of the grace).
 */
export async function stopWithPreStop(ctx: AgentContext, pod: Pod, container: Container | undefined, containerId: string, graceS: number, podIP: PodIp): Promise<void> {
  const h = container?.lifecycle?.preStop;
  let left = graceS;
  if (h && container && graceS > 0) {
    const t0 = Date.now();
    const r = await runLifecycleHandler(ctx, containerId, container, h, podIP, graceS * 1000);
    if (!r.ok) await recorder(ctx).record(pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed for container ${container.name}: ${r.message ?? 'failed'}`).catch(() => undefined);
    left = Math.max(minGraceAfterHookS, Math.ceil(graceS - (Date.now() - t0) / 1000));
  }
  await ctx.runtime.stop(containerId, left);
}
