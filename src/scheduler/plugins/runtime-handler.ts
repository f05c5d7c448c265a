/**
 * RuntimeHandler: a pod whose spec.runtimeClassName names a RuntimeClass fits only nodes that report
 * its handler in status.runtimeHandlers (Kubernetes 1.30's field; a node reporting none runs only
 * runc). Kubernetes steers with the class's nodeSelector alone; this says why a pod waits:
 * `0/3 nodes are available: 3 node(s) do not support runtime handler "runsc".`
 */
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { RuntimeClass } from '../../api/schema/runtime-class.js';
import { ExtensionKey, type CacheExtension, type Wake } from '../framework/extension.js';
import { StateKey, type StateData } from '../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin } from '../framework/plugin.js';
import { noPreFilterState } from '../framework/plugin.js';
import { success, unresolvable } from '../framework/status.js';

/** The handlers a node runs: what it reports, else runc alone (agents before the field, simulated nodes). */
export function nodeRuntimeHandlers(node: Node): string[] {
  const reported = node.status?.runtimeHandlers;
  return reported && reported.length > 0 ? reported.map((h) => h.name || 'runc') : ['runc'];
}

/** The RuntimeClasses the scheduler follows, and the pending pods waiting for each (to wake them). */
export class RuntimeClassStore implements CacheExtension {
  readonly watches = ['runtimeclasses'];
  readonly classes = new Map<string, RuntimeClass>();
  private readonly waiting = new Map<string, Map<string, Pod>>();

  podChanged(before: Pod | undefined, after: Pod | undefined): Wake {
    const b = before?.spec.runtimeClassName;
    if (before && b) this.waiting.get(b)?.delete(before.metadata.uid ?? before.metadata.name);
    const a = after?.spec.runtimeClassName;
    if (after && a && !after.spec.nodeName) {
      const m = this.waiting.get(a) ?? new Map<string, Pod>();
      m.set(after.metadata.uid ?? after.metadata.name, after);
      this.waiting.set(a, m);
    }
    return undefined;
  }

  objectChanged(resource: string, event: WatchEvent<ApiObject>): Wake {
    if (resource !== 'runtimeclasses') return undefined;
    const name = event.object.metadata.name;
    if (event.type === 'DELETED') this.classes.delete(name); else this.classes.set(name, event.object as RuntimeClass);
    return [...(this.waiting.get(name)?.values() ?? [])];
  }
}

/** The cache extension key of the RuntimeClass store. */
export const runtimeClassStoreKey = new ExtensionKey<RuntimeClassStore>('RuntimeHandler', () => new RuntimeClassStore());

class HandlerState implements StateData {
  constructor(readonly handler: string) {}
  clone(): HandlerState { return this; }
}
const stateKey = new StateKey<HandlerState>('RuntimeHandler');

/** The RuntimeHandler PreFilter and Filter. */
export const runtimeHandler = {
  name: 'RuntimeHandler',
  extension: runtimeClassStoreKey,
  preFilter(pod, snapshot, state) {
    const cls = pod.spec.runtimeClassName;
    const store = snapshot.extensions?.get(runtimeClassStoreKey);
    if (cls === undefined || cls === '' || !store) { state.skippedFilters.add('RuntimeHandler'); return success; }
    const rc = store.classes.get(cls);
    if (!rc) return unresolvable(`runtimeclass.node.k8s.io "${cls}" not found`);
    state.write(stateKey, new HandlerState(rc.handler));
    return success;
  },
  filter(_pod, node, state) {
    const s = state.read(stateKey);
    if (!s) return noPreFilterState('RuntimeHandler');
    return nodeRuntimeHandlers(node.node).includes(s.handler) ? success : unresolvable(`node(s) do not support runtime handler "${s.handler}"`);
  },
} satisfies PreFilterPlugin & FilterPlugin;
