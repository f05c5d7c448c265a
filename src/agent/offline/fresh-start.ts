import type { ContainerSlot } from '../container-slot.js';

/**
 * Containers found dead when the agent starts (it crashed, or the machine rebooted) start again at
 * once, without the restart back-off: the kubelet keeps its back-off in memory, so a restarted kubelet
 * does the same, and a rebooted edge node must bring its pods back as soon as it can. Only the first
 * start after the agent's own start is spared; later exits back off as usual.
 */
export function skipBackoffOnce(slots: Map<string, ContainerSlot>): void {
  for (const slot of slots.values()) if (slot.current?.status === 'stopped') slot.backoffUntil = 0;
}
