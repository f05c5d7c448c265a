import type { Pod } from '../../api/schema/pod.js';
import type { ResourceQuota } from '../../api/schema/tenancy.js';
import { kindModules } from '../../api/kinds/index.js';
import { measureUsage } from '../../api/quota-usage.js';
import { Controller, ignoreErrors, retryOnConflict, type ControllerInputs } from '../../client/kit/index.js';
import { lowers, quotaStatus, statusChanged } from './plan.js';

/** Settings of the quota controller. */
export interface ResourceQuotaControllerOptions extends ControllerInputs {
  /** How often every quota is measured again, for the kinds it does not watch (default 15 s). */
  resyncMs?: number;
  /** How long a quota's status must stay unchanged before the controller lowers it (default 2 s; see below). */
  holdMs?: number;
}

/**
 * Kubernetes' resource quota controller: each ResourceQuota's status.hard and status.used are what its
 * namespace's objects use now. Admission charges a quota as it admits (server/admission/quota); this
 * controller gives back what deleted and finished objects held, and corrects a charge whose create
 * then failed. Pods are followed; other counted kinds are measured again every resyncMs. Keys are namespaces.
 */
export class ResourceQuotaController extends Controller {
  private readonly resyncMs: number;
  private readonly holdMs: number;
  /** quota uid -> the resourceVersion of its status this controller saw first, and when. */
  private readonly seen = new Map<string, { rv: string; since: number }>();

  constructor(opts: ResourceQuotaControllerOptions) {
    super(opts, { name: 'resourcequota-controller', retryOnError: true });
    this.resyncMs = opts.resyncMs ?? 15_000;
    this.holdMs = opts.holdMs ?? 2_000;
  }

  /** Follow quotas (every resyncMs too) and pods of namespaces that have quotas. */
  async start(): Promise<void> {
    const q = this.loop.queue;
    const nsOf = (o: { metadata: { namespace?: string } }): string => o.metadata.namespace ?? 'default';
    const quotas = this.loop.informer<ResourceQuota>('resourcequotas');
    this.loop.watch(quotas, { onAdd: (o) => q.add(nsOf(o)), onUpdate: (_, o) => q.add(nsOf(o)) }, { resyncMs: this.resyncMs });
    const pod = (p: Pod): void => { if (quotas.list().some((x) => nsOf(x) === nsOf(p))) q.add(nsOf(p)); };
    this.loop.watch(this.loop.informer<Pod>('pods'), { onAdd: pod, onUpdate: (_, p) => pod(p), onDelete: pod });
    await this.loop.start();
  }

  async reconcile(namespace: string): Promise<void> {
    const api = this.loop.api;
    for (const listed of (await api.list<ResourceQuota>('resourcequotas', namespace)).items) {
      await retryOnConflict(async (attempt) => {
        const quota = attempt === 0 ? listed : await api.get<ResourceQuota>('resourcequotas', listed.metadata.name, namespace);
        const used = await measureUsage(async (resource, ns) => (await api.list(resource, ns)).items, namespace, Object.keys(quota.spec?.hard ?? {}), kindModules);
        const status = quotaStatus(quota, used);
        if (!statusChanged(quota, status)) return;
        // Admission charges a quota just before its object is stored: a measurement taken in between
        // misses that object. So a charge is given back only once the status has held still for
        // holdMs (far longer than a create takes); raising it, or a first status, is written at once.
        const now = this.loop.clock.now();
        const rv = quota.metadata.resourceVersion ?? '';
        const uid = quota.metadata.uid ?? quota.metadata.name;
        let seen = this.seen.get(uid);
        if (seen?.rv !== rv) { seen = { rv, since: now }; this.seen.set(uid, seen); }
        if (lowers(quota, status) && now - seen.since < this.holdMs) {
          this.loop.queue.addAfter(namespace, seen.since + this.holdMs - now);
          return;
        }
        const written = await api.updateStatus<ResourceQuota>('resourcequotas', { ...quota, status });
        this.seen.set(uid, { rv: written.metadata.resourceVersion ?? '', since: now - this.holdMs });
      }).catch(ignoreErrors('NotFound'));
    }
  }
}
