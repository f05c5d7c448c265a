import type { Pod } from '../../api/pod.js';
import type { AgentContext } from '../context.js';
import type { ContainerSlot } from '../container-slot.js';

/**
 * The control plane evicted this pod (Failed, NodeLost) while the node was unreachable, and may have
 * started a replacement elsewhere: stop what still runs here and never start it again. The object
 * and the containers stay until the pod is deleted, so its logs can still be read.
 */
export async function stopLostPod(ctx: AgentContext, pod: Pod, slots: Map<string, ContainerSlot>): Promise<void> {
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
  await Promise.all([...slots.values()].map(async (slot) => {
    const cur = slot.current && await ctx.runtime.inspect(slot.current.id);
    if (!cur || cur.status === 'stopped') { if (cur) slot.current = cur; return; }
    ctx.log(`pod ${pod.metadata.name}: evicted while this node was unreachable (NodeLost); stopping container ${slot.name}`);
    await ctx.runtime.stop(cur.id, grace).catch((e: unknown) => ctx.log(`pod ${pod.metadata.name}: stop ${slot.name}: ${String(e)}`));
    slot.current = await ctx.runtime.inspect(cur.id) ?? { ...cur, status: 'stopped' };
  }));
}
