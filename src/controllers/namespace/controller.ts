import type { ApiObject } from '../../api/meta.js';
import { kindModules } from '../../api/kinds/index.js';
import type { Namespace } from '../../api/schema/namespace.js';
import { Controller, ignoreErrors, type ControllerInputs } from '../../client/kit/index.js';
import { namespaceStep, withoutFinalizer } from './plan.js';

/** Settings of the namespace controller. */
export interface NamespaceControllerOptions extends ControllerInputs {
  /** How long to wait before looking again at a namespace whose objects are still going (pods stopping). */
  recheckMs?: number;
}

const notFound = <T>(e: unknown): T | undefined => { ignoreErrors('NotFound')(e); return undefined; };

/**
 * Kubernetes' namespace controller: a deleted namespace shows Terminating, every object in it is
 * deleted (pods gracefully, through their nodes; owners' children by their owners), and once nothing
 * is left its "kubernetes" finalizer goes, so the API removes the namespace. Creating in it meanwhile
 * is refused (server/namespace-lifecycle.ts), so nothing comes back. Keys are namespace names.
 */
export class NamespaceController extends Controller {
  private readonly recheckMs: number;

  constructor(opts: NamespaceControllerOptions) {
    super(opts, { name: 'namespace-controller', retryOnError: true });
    this.recheckMs = opts.recheckMs ?? 1000;
  }

  /** Follow namespaces; an update with a deletionTimestamp starts the work. */
  async start(): Promise<void> {
    const q = this.loop.queue;
    const ns = (n: Namespace): void => { if (n.metadata.deletionTimestamp !== undefined) q.add(n.metadata.name); };
    this.loop.watch(this.loop.informer<Namespace>('namespaces'), { onAdd: ns, onUpdate: (_, n) => ns(n) });
    await this.loop.start();
  }

  async reconcile(name: string): Promise<void> {
    const api = this.loop.api;
    const ns = await api.get<Namespace>('namespaces', name).catch(notFound<Namespace>);
    if (!ns) return;
    const step = namespaceStep(ns, ns.status?.phase === 'Terminating' ? await this.empty(name) : undefined);
    if (step === 'mark-terminating') {
      await api.updateStatus('namespaces', { ...ns, status: { ...ns.status, phase: 'Terminating' } });
      this.loop.queue.add(name);
    } else if (step === 'empty') {
      this.loop.queue.addAfter(name, this.recheckMs);
    } else if (step === 'finalize') {
      await api.update('namespaces', withoutFinalizer(ns)).catch(ignoreErrors('NotFound'));
    }
  }

  /** Delete every object in the namespace; resolves with how many were still there. */
  private async empty(namespace: string): Promise<number> {
    const api = this.loop.api;
    let remaining = 0;
    for (const kind of kindModules) {
      if (!kind.namespaced) continue;
      const items = (await api.list<ApiObject>(kind.resource, namespace)).items;
      remaining += items.length;
      for (const o of items) {
        // Already marked: its finalizers or its node decide when it goes.
        if (o.metadata.deletionTimestamp !== undefined) continue;
        await api.delete(kind.resource, o.metadata.name, namespace).catch(ignoreErrors('NotFound'));
      }
    }
    return remaining;
  }
}
