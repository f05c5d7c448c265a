/** `describe svc` as kubectl writes it: the Service, each port with its endpoints (from the EndpointSlices), events. */
import type { Service, ServicePort } from '../schema/service.js';
import { serviceNameLabel } from '../schema/service.js';
import type { EndpointSlice } from '../schema/endpoint-slice.js';
import type { Event } from '../schema/event.js';
import type { Doc } from './doc.js';
import { relatedList, type DescribeContext, type Describer } from './describe.js';
import { eventsAbout, eventsSection } from './events.js';
import { labelText } from './labels.js';

/** How many endpoints a port line shows before "+ N more..." (kubectl's limit). */
const shownEndpoints = 3;

/** "10.42.1.5:8080,10.42.2.3:8080" of the ready endpoints serving one Service port; "<none>" when none. */
export function endpointsFor(slices: readonly EndpointSlice[], portName: string | undefined): string {
  const out: string[] = [];
  for (const es of slices) {
    const port = (es.ports ?? []).find((p) => (p.name ?? '') === (portName ?? ''));
    for (const ep of es.endpoints) {
      if (ep.conditions?.ready === false) continue; // kubectl: nil means ready
      for (const a of ep.addresses) out.push(port?.port !== undefined ? `${a}:${port.port}` : a);
    }
  }
  if (out.length === 0) return '<none>';
  const shown = out.slice(0, shownEndpoints).join(',');
  return out.length > shownEndpoints ? `${shown} + ${out.length - shownEndpoints} more...` : shown;
}

function portLines(doc: Doc, svc: Service, slices: readonly EndpointSlice[]): void {
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0) { doc.kv(0, 'Endpoints', endpointsFor(slices, undefined)); return; }
  for (const p of ports as ServicePort[]) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    doc.row(0, 'Port:', name, `${p.port}/${proto}`);
    doc.kv(0, 'TargetPort', `${p.targetPort ?? p.port}/${proto}`);
    if (p.nodePort) doc.row(0, 'NodePort:', name, `${p.nodePort}/${proto}`);
    doc.kv(0, 'Endpoints', endpointsFor(slices, p.name));
  }
}

function summary(doc: Doc, svc: Service, ctx: DescribeContext): void {
  const s = svc.spec;
  doc.kv(0, 'Name', svc.metadata.name).kv(0, 'Namespace', svc.metadata.namespace ?? 'default');
  doc.map(0, 'Labels', svc.metadata.labels).map(0, 'Annotations', svc.metadata.annotations, ': ');
  doc.kv(0, 'Selector', labelText(s.selector));
  doc.kv(0, 'Type', s.type ?? 'ClusterIP');
  if (s.type === 'ExternalName') {
    doc.kv(0, 'External Name', s.externalName ?? '');
  } else {
    if (s.ipFamilyPolicy) doc.kv(0, 'IP Family Policy', s.ipFamilyPolicy);
    if (s.ipFamilies) doc.kv(0, 'IP Families', s.ipFamilies.join(','));
    doc.kv(0, 'IP', s.clusterIP ?? '<none>');
    doc.kv(0, 'IPs', (s.clusterIPs ?? []).join(',') || '<none>');
  }
  if ((s.externalIPs ?? []).length > 0) doc.kv(0, 'External IPs', (s.externalIPs ?? []).join(','));
  portLines(doc, svc, relatedList<EndpointSlice>(ctx, 'slices'));
  doc.kv(0, 'Session Affinity', s.sessionAffinity ?? 'None');
  if (s.sessionAffinity === 'ClientIP') doc.kv(0, 'Session Affinity Timeout', `${s.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800} seconds`);
  if (s.type === 'NodePort' && s.externalTrafficPolicy) doc.kv(0, 'External Traffic Policy', s.externalTrafficPolicy);
  if (s.internalTrafficPolicy) doc.kv(0, 'Internal Traffic Policy', s.internalTrafficPolicy);
  if (s.publishNotReadyAddresses) doc.kv(0, 'Publish Not Ready Addresses', 'true');
}

/** kubectl describe svc: the Service, its endpoints per port (from its EndpointSlices), events. */
export const serviceDescriber: Describer<Service> = {
  related: (svc) => ({
    slices: { resource: 'endpointslices', namespace: svc.metadata.namespace ?? 'default', labelSelector: `${serviceNameLabel}=${svc.metadata.name}`, optional: true },
    events: eventsAbout('Service', svc, true),
  }),
  sections: [summary, (doc: Doc, _s: Service, ctx: DescribeContext) => eventsSection(doc, relatedList<Event>(ctx, 'events'), ctx.now)],
};
