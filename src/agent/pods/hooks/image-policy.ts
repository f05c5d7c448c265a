/**
 * The image-policy hook: before a container starts, the image the node holds must satisfy every
 * ClusterImagePolicy whose globs match it (a cosign signature of its digest that one of the
 * policy's keys verifies, image/signing). Runs after the image hook (it needs the digest). A
 * refusal holds the container back as Waiting ImageVerificationFailed, records a Warning event of
 * that reason on the pod (what `describe pod` shows) and looks again later: nothing runs. The
 * policies come from one node-wide informer, followed while a pod of the node needs it; passes are
 * cached per digest and policy version, so a restart does not fetch signatures again.
 */
import type { ClusterImagePolicy } from '../../../api/schema/cluster-image-policy.js';
import { EventRecorder } from '../../../client/kit/events.js';
import { RegistryClient } from '../../../image/distribution/registry.js';
import { parseReference, repository } from '../../../image/reference.js';
import { ImageVerifier } from '../../../image/signing/verifier.js';
import type { AgentContext } from '../../context.js';
import type { ContainerSlot } from '../../container-slot.js';
import { FollowedInformers, listedWithin } from '../../followed-informers.js';
import { transferOptionsFor } from '../../registry-access.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';

/** How long a refused container waits before the policies are checked again. */
const RETRY_MS = 15_000;

interface NodePolicies { informers: FollowedInformers<ClusterImagePolicy>; verifier: ImageVerifier; events: EventRecorder }

/** One per node (AgentContext): the informer set, the verifier and its cache. */
const perNode = new WeakMap<AgentContext, NodePolicies>();

function nodePolicies(ctx: AgentContext): NodePolicies {
  let n = perNode.get(ctx);
  if (!n) {
    const verifier = new ImageVerifier((image) => new RegistryClient(parseReference(image).domain, transferOptionsFor(ctx.registries, image)));
    n = { informers: new FollowedInformers<ClusterImagePolicy>({ api: ctx.api, log: ctx.log }), verifier, events: new EventRecorder(ctx.api, 'kubelet') };
    perNode.set(ctx, n);
  }
  return n;
}

const source = { resource: 'clusterimagepolicies' };

/** The image-policy hook of one pod. */
export class ImagePolicyHook implements PodHook {
  readonly name = 'image-policy';
  /** The last refusal recorded per container slot, so a retry does not write the same event again. */
  private readonly recorded = new WeakMap<ContainerSlot, string>();

  constructor(private readonly ctx: AgentContext) {}

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    if (!plan.image) return undefined;
    const node = nodePolicies(this.ctx);
    const passes = this.ctx.offline?.imagePasses;
    const passKey = `${repository(parseReference(plan.container.image))}@${plan.image.digest}`;
    const followed = node.informers.follow(source, run.uid, () => { node.verifier.clear(); void passes?.clear(); });
    if (!(await listedWithin(followed, 10_000))) {
      // Edge autonomy: an image this node admitted under the last policies it read still runs while the servers are out of reach.
      if (passes && await passes.passed(passKey)) {
        run.log(`container ${plan.container.name}: the image policies cannot be read; image "${plan.container.image}" (${plan.image.digest}) was admitted here before`);
        return undefined;
      }
      // Fail closed: an image policy that cannot be read is not a pass.
      const message = `cannot read the ClusterImagePolicies that decide whether image "${plan.container.image}" may run${followed.lastError ? `: ${followed.lastError}` : ''}`;
      return { retryInMs: 5000, waiting: { reason: 'ImagePolicyUnavailable', message } };
    }
    const policies = followed.informer.list();
    if (policies.length === 0) { await passes?.add(passKey); return undefined; }
    const verdict = await node.verifier.check(plan.container.image, plan.image.digest, policies);
    for (const w of verdict.warnings) await this.record(run, plan.slot, 'Warning', 'ImageVerificationWarning', w);
    if (verdict.allowed) {
      await passes?.add(passKey);
      if (verdict.verifiedBy.length > 0 && this.recorded.get(plan.slot) !== 'verified') {
        this.recorded.set(plan.slot, 'verified');
        run.log(`container ${plan.container.name}: image "${plan.container.image}" (${plan.image.digest}) verified by ${verdict.verifiedBy.join(', ')}`);
      }
      return undefined;
    }
    const message = verdict.reason ?? 'image verification failed';
    await this.record(run, plan.slot, 'Warning', 'ImageVerificationFailed', message);
    return { retryInMs: RETRY_MS, waiting: { reason: 'ImageVerificationFailed', message } };
  }

  async poststop(run: PodRun): Promise<void> {
    perNode.get(this.ctx)?.informers.unfollow(run.uid);
  }

  private async record(run: PodRun, slot: ContainerSlot, type: 'Warning', reason: string, message: string): Promise<void> {
    const key = `${reason}:${message}`;
    if (this.recorded.get(slot) === key) return;
    this.recorded.set(slot, key);
    this.ctx.log(`pod ${run.pod.metadata.namespace ?? 'default'}/${run.pod.metadata.name}: ${reason}: ${message}`);
    await nodePolicies(this.ctx).events.record(run.pod, type, reason, message);
  }
}

