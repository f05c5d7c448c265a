/**
 * The image hook: the container's image per its imagePullPolicy (image-pull.ts: pulled in the
 * background, the pod woken when it ends) and the layer directories its root filesystem is made of.
 */
import type { AgentContext } from '../../context.js';
import type { ConfigReader } from '../../config/config-sources.js';
import type { Secret } from '../../../api/schema/config.js';
import { pullAuthFor } from '../../pull-secrets.js';
import { ensureImage } from '../../image-pull.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';

/** The image hook of one pod. */
export class ImageHook implements PodHook {
  readonly name = 'image';
  /** config: where the pod's imagePullSecrets are read (the node's watched cache); absent: none used. */
  constructor(private readonly ctx: AgentContext, private readonly config?: ConfigReader) {}

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    const config = this.config;
    const auth = config && (run.pod.spec.imagePullSecrets?.length ?? 0) > 0
      ? () => pullAuthFor(run.pod, plan.container.image, (name, ns) => config.get<Secret>('secrets', name, ns), this.ctx.log)
      : undefined;
    const found = await ensureImage(this.ctx, plan.container, plan.slot, () => run.wake(), auth);
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
