/**
 * One container instance from its plan to a running process: the runtime config, the previous
 * instance kept for `logs --previous`, create (while the CNI plugins may still run), start once the
 * network is up, and Docker's exit codes for a process that could not run.
 */
import type { Pod } from '../../api/pod.js';
import type { AgentContext } from '../context.js';
import type { ContainerSlot } from '../container-slot.js';
import { buildContainerConfig } from '../container/container-config.js';
import type { ContainerConfig } from '../../runtime/types.js';
import { policyPod, restartDelay, shouldRestart } from '../restart-policy.js';
import type { ContainerPlan, PodRun } from './pod-hook.js';
import { terminatedState } from './pod-status.js';

/** Map a runtime start failure to Docker's exit codes: 127 not found, 126 cannot execute. */
function startFailureExitCode(message: string): number | undefined {
  if (/executable file not found|no such file or directory|not found in \$PATH/i.test(message)) return 127;
  if (/permission denied|exec format error|is a directory/i.test(message)) return 126;
  return undefined;
}

/** The slot takes the new instance: the current one becomes the previous, older ones go. */
async function rotate(ctx: AgentContext, slot: ContainerSlot, attempt: number, startCount: string): Promise<void> {
  if (slot.previous) await ctx.runtime.remove(slot.previous.id).catch(() => undefined);
  if (slot.current) { slot.previous = slot.current; slot.lastTerminated = terminatedState(slot.current); }
  else if (slot.failedStart) slot.lastTerminated = slot.failedStart;
  slot.current = undefined;
  slot.failedStart = undefined;
  slot.waiting = undefined;
  slot.backoffUntil = undefined;
  slot.attempt = attempt;
  slot.startCount = startCount;
}

/** The runtime config of the planned instance (every prestartContainer hook has filled the plan in). */
export async function configOf(run: PodRun, plan: ContainerPlan): Promise<ContainerConfig> {
  const config = await buildContainerConfig({
    pod: run.pod, container: plan.container, image: plan.image!, layers: plan.layers, netns: run.net.netns!, attempt: plan.attempt,
    env: plan.env, extraEnv: plan.extraEnv, mounts: [...plan.mounts.filter((m) => m !== undefined), ...plan.extraMounts], extraHosts: plan.extraHosts, dns: plan.dns,
    devices: plan.devices, deviceCgroupRules: plan.deviceCgroupRules,
  });
  // The runtime-class hook's choice (RuntimeClass.handler); absent: the node's default runtime.
  return plan.runtimeHandler === undefined ? config : { ...config, runtimeHandler: plan.runtimeHandler };
}

/** Create and start the instance; a failure is the slot's Waiting reason or a termination (126/127). */
export async function startInstance(ctx: AgentContext, run: PodRun, slot: ContainerSlot, attempt: number, config: ContainerConfig, startCount: string, mark: (step: string) => void): Promise<void> {
  const { runtime } = ctx;
  const pod: Pod = run.pod;
  await rotate(ctx, slot, attempt, startCount);
  try {
    mark('config');
    slot.current = await runtime.create(config);
    mark('create');
    if (run.net.ready && !(await run.net.ready)) {
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
      run.later(10_000);
      return;
    }
    const at = new Date().toISOString();
    slot.failedStart = { exitCode: code, reason: 'ContainerCannotRun', message, startedAt: at, finishedAt: at };
    if (shouldRestart(policyPod(pod, slot.name), code, slot.attempt)) run.later(restartDelay(slot.attempt + 1, ctx.backoff));
  }
}
