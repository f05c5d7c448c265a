import type { Container } from '../api/pod.js';
import { ApiError } from '../api/errors.js';
import type { RegistryAuth } from '../api/registry-auth.js';
import type { ImageRecord } from '../image/types.js';
import type { ContainerSlot } from './container-slot.js';
import type { AgentContext } from './context.js';
import { pullForPod } from './server-registry.js';
import { restartDelay } from './restart-policy.js';

type PullResult = { image: ImageRecord } | { error: Error };

/** Failed pulls in a row per container slot, for the back-off. */
const failures = new WeakMap<ContainerSlot, number>();

/** A pod is not `lcctl login`'s: its registry credentials come from imagePullSecrets, so say that on a 401. */
function podPullError(e: Error): string {
  if (!(e instanceof ApiError && e.code === 'Unauthorized')) return e.message;
  const host = /registry (\S+) requires authentication/.exec(e.message)?.[1];
  return host === undefined ? `401 Unauthorized: ${e.message}`
    : `401 Unauthorized: registry ${host} requires authentication: name a kubernetes.io/dockerconfigjson Secret with credentials for ${host} in the pod's spec.imagePullSecrets`;
}

/** Pulls running now, by image reference; each names the slots waiting for it and how to wake their pod. */
const jobs = new Map<string, Map<ContainerSlot, () => void>>();

/** A finished pull's outcome, kept for a slot until its pod's next sync takes it. */
const results = new WeakMap<ContainerSlot, PullResult>();

/** What ensureImage decided: the image, or a wait (slot.waiting set) and when to look again. */
export type ImageOutcome = { image: ImageRecord } | { retryInMs: number };

/**
 * Finds a container's image per imagePullPolicy (Kubernetes' rules): Never uses only what the node
 * holds (ErrImageNeverPull), IfNotPresent pulls when absent, Always pulls before every start. A pull
 * runs in the background (the pod's sync never blocks on it: it can be deleted meanwhile) and wakes
 * the pod when done; a failure is ErrImagePull with the registry's message, then ImagePullBackOff
 * while it backs off (the restart back-off's delays). `auth` gives the pod's imagePullSecrets for the
 * image's registry (pull-secrets.ts); without them an image of the
 * server's built-in registry is pulled with the node's credential, any other anonymously, and a
 * remote agent tries the server's registry first (server-registry.ts).
 */
export async function ensureImage(ctx: AgentContext, c: Container, slot: ContainerSlot, wake: () => void, auth?: () => Promise<RegistryAuth | undefined>): Promise<ImageOutcome> {
  const done = results.get(slot);
  if (done) {
    results.delete(slot);
    if ('image' in done) { failures.delete(slot); return done; }
    const n = (failures.get(slot) ?? 0) + 1;
    failures.set(slot, n);
    const message = `failed to pull image "${c.image}": ${podPullError(done.error)}`;
    slot.waiting = n === 1 ? { reason: 'ErrImagePull', message } : { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}": ${done.error.message}` };
    ctx.log(`container ${c.name}: ${message}`);
    return { retryInMs: Math.max(1000, restartDelay(n, ctx.backoff)) };
  }
  const policy = c.imagePullPolicy ?? 'IfNotPresent';
  const present = await ctx.images.resolve(c.image);
  if (present && policy !== 'Always') { failures.delete(slot); return { image: present }; }
  if (policy === 'Never') {
    slot.waiting = { reason: 'ErrImageNeverPull', message: `Container image "${c.image}" is not present with pull policy of Never (load it with \`lcctl image import\` or \`lcctl pull --node ${ctx.nodeName}\`)` };
    return { retryInMs: 5000 };
  }
  // A pull with a pod's credentials is its own job: another pod's pull must not lend it (or borrow) them.
  const creds = auth ? await auth() : undefined;
  const jobKey = creds ? `${c.image}\n${JSON.stringify(creds)}` : c.image;
  let waiters = jobs.get(jobKey);
  if (!waiters) {
    const mine = new Map<ContainerSlot, () => void>();
    waiters = mine;
    jobs.set(jobKey, mine);
    void pullForPod(ctx.images, c.image, ctx.registries, ctx.log, creds).then((image): PullResult => ({ image }), (e: unknown): PullResult => ({ error: e instanceof Error ? e : new Error(String(e)) })).then((r) => {
      jobs.delete(jobKey);
      for (const [s, w] of mine) { results.set(s, r); s.backoffUntil = undefined; w(); }
    });
  }
  waiters.set(slot, wake);
  // A retry keeps showing the last failure until it ends, as the kubelet does.
  if (!failures.has(slot)) slot.waiting = { reason: 'ContainerCreating', message: `Pulling image "${c.image}"` };
  return { retryInMs: 2000 };
}
