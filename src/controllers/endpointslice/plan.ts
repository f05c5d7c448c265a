/**
 * The EndpointSlice controller's decision, pure: a Service, the pods of its namespace and the slices
 * it has now in; the slices to create, update and delete out (Kubernetes' endpointslice reconciler,
 * made small: endpoints grouped by their resolved port set, at most 100 to a slice, existing slices
 * reused so that an unchanged slice is never written).
 */
import type { Pod } from '../../api/pod.js';
import type { OwnerReference } from '../../api/meta.js';
import { managedByLabel, serviceNameLabel, type Service } from '../../api/schema/service.js';
import { maxEndpointsPerSlice, type Endpoint, type EndpointPort, type EndpointSlice } from '../../api/schema/endpoint-slice.js';

/** The value of endpointslice.kubernetes.io/managed-by on the slices this controller keeps. */
export const controllerName = 'endpointslice-controller.k8s.io';

/** What to write. */
export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

/** Whether a map selector picks these labels (every pair present; an empty selector picks nothing, as Services do). */
export function serviceSelects(svc: Service, labels: Record<string, string> | undefined): boolean {
  const sel = svc.spec.selector;
  if (!sel || Object.keys(sel).length === 0) return false;
  return Object.entries(sel).every(([k, v]) => labels?.[k] === v);
}

/** Whether the controller keeps slices for this Service: it has a selector and is not ExternalName. */
export const managesSlices = (svc: Service): boolean =>
  svc.spec.type !== 'ExternalName' && Object.keys(svc.spec.selector ?? {}).length > 0;

const isReadyPod = (p: Pod): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** The container port a Service port reaches on this pod; undefined when a named targetPort is not among its containerPorts. */
export function resolvePort(svc: Service, port: NonNullable<Service['spec']['ports']>[number], pod: Pod): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^[0-9]+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec.containers) {
    const found = (c.ports ?? []).find((cp) => cp.name === target && (cp.protocol ?? 'TCP') === protocol);
    if (found) return found.containerPort;
  }
  return undefined;
}

/** The endpoint of one pod, or undefined when it has no IP or has finished. */
export function endpointOf(svc: Service, pod: Pod): Endpoint | undefined {
  const ip = pod.status?.podIP;
  if (!ip || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const serving = isReadyPod(pod);
  const ep: Endpoint = {
    addresses: [ip],
    // publishNotReadyAddresses: DNS and the proxy use every endpoint, as for a StatefulSet's peers.
    conditions: { ready: svc.spec.publishNotReadyAddresses === true || (serving && !terminating), serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, ...(pod.metadata.uid ? { uid: pod.metadata.uid } : {}) },
  };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) ep.hostname = pod.spec.hostname;
  return ep;
}

function portsOf(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const p of svc.spec.ports ?? []) {
    const port = resolvePort(svc, p, pod);
    if (port === undefined) continue; // Kubernetes leaves the port out for a pod that does not name it
    out.push({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) });
  }
  return out;
}

const portsKey = (ports: readonly EndpointPort[]): string =>
  JSON.stringify([...ports].map((p) => [p.name ?? '', p.protocol ?? 'TCP', p.port ?? 0]).sort());

const endpointKey = (e: Endpoint): string => `${e.addresses[0] ?? ''}/${e.targetRef?.name ?? ''}`;

/** A new slice of the Service (its name comes from generateName). */
function newSlice(svc: Service, owner: OwnerReference, ports: EndpointPort[], endpoints: Endpoint[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: '',
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace ?? 'default',
      labels: { ...svc.metadata.labels, [serviceNameLabel]: svc.metadata.name, [managedByLabel]: controllerName },
      ownerReferences: [owner],
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

/** Slices this controller manages for this Service (by label and owner uid). */
export function slicesOf(svc: Service, slices: readonly EndpointSlice[]): EndpointSlice[] {
  return slices.filter((s) => s.metadata.labels?.[serviceNameLabel] === svc.metadata.name && s.metadata.labels?.[managedByLabel] === controllerName
    && (s.metadata.namespace ?? 'default') === (svc.metadata.namespace ?? 'default'));
}

/** The plan for one Service: `pods` may hold any pods (those of other namespaces or labels are ignored). */
export function planSlices(svc: Service, owner: OwnerReference, pods: readonly Pod[], existing: readonly EndpointSlice[]): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const mine = slicesOf(svc, existing);
  // Slices of an earlier Service of the same name (another uid) go; so do all when there is nothing to manage.
  const current = mine.filter((s) => s.metadata.ownerReferences?.some((r) => r.uid === owner.uid));
  plan.delete.push(...mine.filter((s) => !current.includes(s)));
  if (!managesSlices(svc)) { plan.delete.push(...current); return plan; }

  const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
  const ns = svc.metadata.namespace ?? 'default';
  for (const pod of pods) {
    if ((pod.metadata.namespace ?? 'default') !== ns || !serviceSelects(svc, pod.metadata.labels)) continue;
    const ep = endpointOf(svc, pod);
    if (!ep) continue;
    const ports = portsOf(svc, pod);
    const key = portsKey(ports);
    const g = groups.get(key) ?? { ports, endpoints: [] };
    g.endpoints.push(ep);
    groups.set(key, g);
  }
  const wanted: { key: string; ports: EndpointPort[]; endpoints: Endpoint[] }[] = [];
  for (const [key, g] of groups) {
    g.endpoints.sort((a, b) => endpointKey(a).localeCompare(endpointKey(b)));
    for (let i = 0; i < g.endpoints.length; i += maxEndpointsPerSlice) wanted.push({ key, ports: g.ports, endpoints: g.endpoints.slice(i, i + maxEndpointsPerSlice) });
  }
  // A Service selecting nothing keeps one empty slice, as Kubernetes' placeholder.
  if (wanted.length === 0) wanted.push({ key: portsKey([]), ports: [], endpoints: [] });

  const free = [...current];
  const take = (key: string): EndpointSlice | undefined => {
    const i = free.findIndex((s) => portsKey(s.ports ?? []) === key);
    return i < 0 ? undefined : free.splice(i, 1)[0];
  };
  const later: typeof wanted = [];
  for (const w of wanted) {
    const reuse = take(w.key);
    if (!reuse) { later.push(w); continue; }
    if (JSON.stringify(reuse.endpoints) !== JSON.stringify(w.endpoints) || JSON.stringify(reuse.ports ?? []) !== JSON.stringify(w.ports)) {
      plan.update.push({ ...reuse, endpoints: w.endpoints, ports: w.ports });
    }
  }
  for (const w of later) {
    // A slice of another port set that is no longer wanted is rewritten rather than deleted and made again.
    const reuse = free.shift();
    if (reuse) plan.update.push({ ...reuse, endpoints: w.endpoints, ports: w.ports });
    else plan.create.push(newSlice(svc, owner, w.ports, w.endpoints));
  }
  plan.delete.push(...free);
  return plan;
}
