import type { Namespace } from '../../api/schema/namespace.js';
import { defaultServiceAccount, type ServiceAccount } from '../../api/schema/service-account.js';
import { Controller, ignoreErrors, type ControllerInputs } from '../../client/kit/index.js';

/**
 * Kubernetes' ServiceAccounts controller: every active namespace has a `default` ServiceAccount,
 * made when the namespace appears and again when someone deletes it. Keys are namespace names.
 */
export class ServiceAccountController extends Controller {
  constructor(opts: ControllerInputs) {
    super(opts, { name: 'serviceaccount-controller', retryOnError: true });
  }

  /** Follow namespaces and ServiceAccounts (a deleted default comes back). */
  async start(): Promise<void> {
    const q = this.loop.queue;
    this.loop.watch(this.loop.informer<Namespace>('namespaces'), { onAdd: (n) => q.add(n.metadata.name), onUpdate: (_, n) => q.add(n.metadata.name) });
    this.loop.watch(this.loop.informer<ServiceAccount>('serviceaccounts'), { onDelete: (sa) => { if (sa.metadata.name === defaultServiceAccount) q.add(sa.metadata.namespace ?? 'default'); } });
    await this.loop.start();
  }

  async reconcile(name: string): Promise<void> {
    const api = this.loop.api;
    const ns = await api.get<Namespace>('namespaces', name).catch((e: unknown) => { ignoreErrors('NotFound')(e); return undefined; });
    if (!ns || ns.metadata.deletionTimestamp !== undefined || ns.status?.phase === 'Terminating') return;
    const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: defaultServiceAccount, namespace: name } };
    await api.create('serviceaccounts', sa).catch(ignoreErrors('AlreadyExists'));
  }
}
