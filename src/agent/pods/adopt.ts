/** What a restarted agent rebuilds a pod's slots from: the runtime's labelled instances and the reported status. */
import type { Pod } from '../../api/pod.js';
import { Annotations } from '../../api/pod.js';
import type { ContainerInfo } from '../../runtime/types.js';
import type { ContainerSlot } from '../container-slot.js';
import { Labels } from '../container/container-config.js';
import { terminatedState } from './pod-status.js';

/** Take over an instance found in the runtime after an agent restart: the newest is current, the one before previous. */
export function adoptInstance(slots: Map<string, ContainerSlot>, info: ContainerInfo): void {
  const name = info.labels[Labels.container] ?? '';
  const attempt = Number(info.labels[Labels.attempt] ?? '0');
  const slot = slots.get(name) ?? { name, attempt: -1, startCount: '0' };
  if (attempt > slot.attempt) {
    if (slot.current) slot.previous = slot.current;
    slot.current = info;
    slot.attempt = attempt;
    slot.startCount = info.labels[Labels.startCount] ?? '0';
  } else if (!slot.previous || attempt > Number(slot.previous.labels[Labels.attempt] ?? '0')) {
    slot.previous = info;
  }
  if (slot.previous?.status === 'stopped') slot.lastTerminated = terminatedState(slot.previous);
  slots.set(name, slot);
}

/**
 * A container that already ended before an agent restart and left no runtime instance (it could not
 * start) is known only from the reported status: take that over so it is not run a second time.
 */
export function seedFromStatus(slots: Map<string, ContainerSlot>, pod: Pod): void {
  for (const cs of pod.status?.containerStatuses ?? []) {
    if (slots.has(cs.name)) continue;
    const term = cs.state.terminated ?? (cs.state.waiting?.reason === 'CrashLoopBackOff' ? cs.lastState?.terminated : undefined);
    if (!term) continue;
    slots.set(cs.name, { name: cs.name, attempt: cs.restartCount, failedStart: term, startCount: pod.metadata.annotations?.[Annotations.startCount] ?? '0' });
  }
}
