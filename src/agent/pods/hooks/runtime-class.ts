/**
 * The runtime-class hook: a pod naming spec.runtimeClassName runs under that RuntimeClass's handler
 * (runsc, ...), as the kubelet looks it up. The handler is immutable, so a lookup is kept a minute per
 * name; a class that is gone holds the containers back with RuntimeClassNotFound and a handler this
 * node lacks with a CreateContainerConfigError naming the handlers it has.
 */
import { ApiError } from '../../../api/errors.js';
import type { RuntimeClass } from '../../../api/schema/runtime-class.js';
import type { ApiClient } from '../../../client/types.js';
import { ContainerConfigError } from '../../container/container-config.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';

const TTL_MS = 60_000;

/** The node's RuntimeClass lookups, shared by its pods' hooks. */
export class RuntimeClassCache {
  private readonly known = new Map<string, { handler: string | undefined; at: number }>();
  constructor(private readonly api: Pick<ApiClient, 'get'>) {}

  /** The handler of class name; undefined when no such class exists. */
  async handlerOf(name: string): Promise<string | undefined> {
    const hit = this.known.get(name);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.handler;
    let handler: string | undefined;
    try {
      handler = (await this.api.get<RuntimeClass>('runtimeclasses', name)).handler;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NotFound')) throw e;
    }
    this.known.set(name, { handler, at: Date.now() });
    return handler;
  }
}

/** The runtime-class hook of one pod. */
export class RuntimeClassHook implements PodHook {
  readonly name = 'runtime-class';
  constructor(private readonly classes: RuntimeClassCache, private readonly nodeHandlers: readonly string[]) {}

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    const cls = run.pod.spec.runtimeClassName;
    if (cls === undefined || cls === '') return undefined;
    const handler = await this.classes.handlerOf(cls);
    if (handler === undefined) {
      return { retryInMs: 10_000, waiting: { reason: 'RuntimeClassNotFound', message: `RuntimeClass "${cls}" not found: create it (lcctl apply -f) or recreate the pod without spec.runtimeClassName` } };
    }
    if (!this.nodeHandlers.includes(handler)) {
      throw new ContainerConfigError(`runtime handler "${handler}" of RuntimeClass "${cls}" is not available on this node (it runs ${this.nodeHandlers.join(', ')})`);
    }
    plan.runtimeHandler = handler;
    return undefined;
  }
}

const caches = new WeakMap<object, RuntimeClassCache>();

/** The one RuntimeClassCache of the node that talks through api. */
export function runtimeClassCache(api: Pick<ApiClient, 'get'>): RuntimeClassCache {
  let c = caches.get(api);
  if (!c) { c = new RuntimeClassCache(api); caches.set(api, c); }
  return c;
}
