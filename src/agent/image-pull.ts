import type { Container } from '../api/pod.js';
import type { ImageRecord } from '../image/types.js';
import type { ContainerSlot } from './container-slot.js';
import type { AgentContext } from './context.js';
import { pullToStore } from './image-transfer.js';
import { restartDelay } from './restart-policy.js';

/** Failed pulls in a row per container slot, for the back-off. */
const failures = new WeakMap<ContainerSlot, number>();

/** A pull already running for an image reference, shared by the containers that need it. */
const pulling = new Map<string, Promise<ImageRecord>>();

/** What ensureImage decided: the image, or a wait (slot.waiting set) and when to try again. */
export type ImageOutcome = { image: ImageRecord } | { retryInMs: number };

/**
 * Finds a container's image per imagePullPolicy (Kubernetes' rules): Never uses only what the node
 * holds (ErrImageNeverPull), IfNotPresent pulls when absent, Always pulls before every start. A failed
 * pull is ErrImagePull with the registry's message, then ImagePullBackOff while it backs off
 * (the restart back-off's initial delay, doubling up to its maximum). Pod pulls are anonymous.
 */
export async function ensureImage(ctx: AgentContext, c: Container, slot: ContainerSlot): Promise<ImageOutcome> {
  const policy = c.imagePullPolicy ?? 'IfNotPresent';
  const present = await ctx.images.resolve(c.image);
  if (present && policy !== 'Always') { failures.delete(slot); return { image: present }; }
  if (policy === 'Never') {
    slot.waiting = { reason: 'ErrImageNeverPull', message: `Container image "${c.image}" is not present with pull policy of Never (load it with \`lcctl image import\` or \`lcctl pull --node ${ctx.nodeName}\`)` };
    return { retryInMs: 5000 };
  }
  try {
    let p = pulling.get(c.image);
    if (!p) {
      p = pullToStore(ctx.images, c.image, {}).finally(() => pulling.delete(c.image));
      pulling.set(c.image, p);
    }
    const image = await p;
    failures.delete(slot);
    return { image };
  } catch (e) {
    const n = (failures.get(slot) ?? 0) + 1;
    failures.set(slot, n);
    const message = `failed to pull image "${c.image}": ${(e as Error).message}`;
    slot.waiting = n === 1 ? { reason: 'ErrImagePull', message } : { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}": ${message}` };
    ctx.log(`pod container ${c.name}: ${message}`);
    return { retryInMs: Math.max(1000, restartDelay(n, ctx.backoff)) };
  }
}
