/**
 * The image hook: the container's image per its imagePullPolicy (image-pull.ts: pulled in the
 * background, the pod woken when it ends) and the layer directories its root filesystem is made of.
 */
import type { AgentContext } from '../../context.js';
import { ensureImage } from '../../image-pull.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';

/** The image hook of one pod. */
export class ImageHook implements PodHook {
  readonly name = 'image';
  constructor(private readonly ctx: AgentContext) {}

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    const found = await ensureImage(this.ctx, plan.container, plan.slot, () => run.wake());
    if (!('image' in found)) {
      // ensureImage set the Waiting reason (ErrImagePull, ImagePullBackOff, ...).
      plan.slot.backoffUntil = Date.now() + found.retryInMs;
      return { retryInMs: found.retryInMs };
    }
    plan.image = found.image;
    plan.layers = await this.ctx.images.layerDirs(found.image);
    return undefined;
  }
}
