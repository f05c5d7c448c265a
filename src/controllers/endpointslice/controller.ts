import type { Pod } from '../../api/pod.js';
import type { Service } from '../../api/schema/service.js';
import { serviceNameLabel } from '../../api/schema/service.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';
import {
  Controller, ignoreErrors, keyOf, newControllerRef, queueKeyOf, splitKey, type ControllerInputs, type Informer,
} from '../../client/kit/index.js';
import { controllerName, managesSlices, planSlices, serviceSelects } from './plan.js';

/** Settings of the EndpointSlice controller. */
export type EndpointSliceControllerOptions = ControllerInputs;

/**
 * Keeps each Service's EndpointSlices equal to the pods its selector picks: their IPs, ready /
 * serving / terminating from the pods' Ready condition and deletionTimestamp, node, ports resolved
 * from targetPort. A pod's change queues the Services that select it (before or after the change);
 * a change to a managed slice queues its Service, so a hand edit is put back.
 */
export class EndpointSliceController extends Controller {
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly slices: Informer<EndpointSlice>;

  constructor(opts: EndpointSliceControllerOptions) {
    super(opts, { name: 'endpointslice-controller', retryOnError: true });
    this.services = this.loop.informer<Service>('services');
    this.pods = this.loop.informer<Pod>('pods');
    this.slices = this.loop.informer<EndpointSlice>('endpointslices');
    this.services.addIndex('namespace', (s) => [s.metadata.namespace ?? 'default']);
    this.pods.addIndex('namespace', (p) => [p.metadata.namespace ?? 'default']);
    this.slices.addIndex(serviceNameLabel, (s) => {
      const name = s.metadata.labels?.[serviceNameLabel];
      return name === undefined ? [] : [`${s.metadata.namespace ?? 'default'}/${name}`];
    });
  }

  /** Follow Services, pods and slices; resolves once their first lists are in. */
  async start(): Promise<void> {
    this.loop.watch(this.services, queueKeyOf<Service>(this.loop.queue, (s) => this.loop.queue.add(keyOf(s))));
    const podChanged = (old: Pod | undefined, cur: Pod): void => {
      for (const svc of this.services.byIndex('namespace', cur.metadata.namespace ?? 'default')) {
        if (serviceSelects(svc, cur.metadata.labels) || (old && serviceSelects(svc, old.metadata.labels))) this.loop.queue.add(keyOf(svc));
      }
    };
    this.loop.watch(this.pods, { onAdd: (p) => podChanged(undefined, p), onUpdate: (o, p) => podChanged(o, p), onDelete: (p) => podChanged(undefined, p) });
    const sliceChanged = (s: EndpointSlice): void => {
      const name = s.metadata.labels?.[serviceNameLabel];
      if (name !== undefined) this.loop.queue.add(keyOf({ metadata: { namespace: s.metadata.namespace, name } }));
    };
    this.loop.watch(this.slices, { onAdd: sliceChanged, onUpdate: (_, s) => sliceChanged(s), onDelete: sliceChanged });
    await this.loop.start();
  }

  /** One Service ("ns/name"): write the slices its plan asks for; a Service that is gone loses its slices. */
  async reconcile(key: string): Promise<void> {
    const { namespace = 'default', name } = splitKey(key);
    const api = this.loop.api;
    // Before start() (a test calling reconcile by hand) the caches are empty: read the API.
    const synced = this.services.hasSynced() && this.pods.hasSynced() && this.slices.hasSynced();
    let svc = synced ? this.services.get(key) : undefined;
    if (!synced) svc = await api.get<Service>('services', name, namespace).catch((e: unknown) => { ignoreErrors('NotFound')(e); return undefined; });
    const existing = synced
      ? this.slices.byIndex(serviceNameLabel, key)
      : (await api.list<EndpointSlice>('endpointslices', namespace, { labelSelector: `${serviceNameLabel}=${name}` })).items;
    if (!svc) {
      // The cascade without a garbage collector: the deleted Service's slices go with it.
      const ours = existing.filter((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === controllerName);
      await Promise.all(ours.map((s) => api.delete('endpointslices', s.metadata.name, namespace).catch(ignoreErrors('NotFound'))));
      return;
    }
    const pods = !managesSlices(svc) ? [] : synced ? this.pods.byIndex('namespace', namespace) : (await api.list<Pod>('pods', namespace)).items;
    const plan = planSlices(svc, newControllerRef({ ...svc, apiVersion: svc.apiVersion ?? 'v1', kind: svc.kind ?? 'Service' }), pods, existing);
    for (const s of plan.delete) await api.delete('endpointslices', s.metadata.name, namespace).catch(ignoreErrors('NotFound'));
    for (const s of plan.update) this.slices.remember(await api.update<EndpointSlice>('endpointslices', s));
    for (const s of plan.create) this.slices.remember(await api.create<EndpointSlice>('endpointslices', s));
  }
}
