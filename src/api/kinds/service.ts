/** The core v1 Service kind: schema, Kubernetes' defaults and validation (allocation is the API server's: server/services/). */
import type { KindInfo } from './kind.js';
import { serviceModule } from './modules/core.js';
import type { FieldCause } from '../errors.js';
import { ServiceSchema, defaultAffinityTimeoutSeconds, headlessClusterIP, type Service, type ServicePort } from '../schema/service.js';
import { checkLabel, checkLabelKey, checkLabelValue, checkSubdomain } from '../names.js';
import { ipFamily } from '../ip.js';
import { withRules } from './with-rules.js';

const ianaSvcName = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** undefined when name is an IANA_SVC_NAME (a named port), otherwise why not. */
export function checkPortName(name: string): string | undefined {
  if (name.length > 15 || !ianaSvcName.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
    return `Invalid value: ${JSON.stringify(name)}: must be no more than 15 characters, lower case alphanumeric or '-', contain at least one letter, and neither start nor end with '-' nor contain '--'`;
  }
  return undefined;
}

function checkPorts(svc: Service, out: FieldCause[]): void {
  const ports = svc.spec.ports ?? [];
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((p: ServicePort, i) => {
    const path = `spec.ports[${i}]`;
    if (ports.length > 1 && (p.name ?? '') === '') out.push({ field: `${path}.name`, message: 'Required value: every port of a Service with more than one port must have a name' });
    if (p.name !== undefined && p.name !== '') {
      const bad = checkLabel(p.name);
      if (bad) out.push({ field: `${path}.name`, message: `${bad} (a DNS label such as http)` });
      if (names.has(p.name)) out.push({ field: `${path}.name`, message: `Duplicate value: ${JSON.stringify(p.name)}` });
      names.add(p.name);
    }
    const key = `${p.protocol ?? 'TCP'}/${p.port}`;
    if (seen.has(key)) out.push({ field: `${path}`, message: `Duplicate value: port ${p.port} with protocol ${p.protocol ?? 'TCP'} is listed twice` });
    seen.add(key);
    if (typeof p.targetPort === 'string' && !/^[0-9]+$/.test(p.targetPort)) {
      const bad = checkPortName(p.targetPort);
      if (bad) out.push({ field: `${path}.targetPort`, message: `${bad} (a container port name, or a number 1-65535)` });
    }
    if (p.nodePort !== undefined && p.nodePort !== 0 && svc.spec.type !== 'NodePort' && svc.spec.type !== 'LoadBalancer') {
      out.push({ field: `${path}.nodePort`, message: `Forbidden: may not be used when \`type\` is '${svc.spec.type ?? 'ClusterIP'}'; set type: NodePort or remove nodePort` });
    }
  });
}

function checkType(svc: Service, out: FieldCause[]): void {
  const s = svc.spec;
  const type = s.type ?? 'ClusterIP';
  if (type === 'LoadBalancer') out.push({ field: 'spec.type', message: 'Unsupported value: "LoadBalancer": Lantern has no load balancer provider; use "NodePort" (reachable on every node) or "ClusterIP"' });
  if (type === 'ExternalName') {
    if (!s.externalName) out.push({ field: 'spec.externalName', message: 'Required value: an ExternalName Service needs externalName, the DNS name it stands for (e.g. db.example.com)' });
    else if (checkSubdomain(s.externalName.replace(/\.$/, '').toLowerCase()) !== undefined) out.push({ field: 'spec.externalName', message: `Invalid value: ${JSON.stringify(s.externalName)}: must be a DNS name such as db.example.com` });
    if (s.selector && Object.keys(s.selector).length > 0) out.push({ field: 'spec.selector', message: 'Forbidden: an ExternalName Service may not have a selector: it stands for a DNS name, not pods (remove the selector or use type ClusterIP)' });
    if (s.clusterIP !== undefined && s.clusterIP !== '') out.push({ field: 'spec.clusterIP', message: 'Forbidden: may not be set for an ExternalName Service' });
    return;
  }
  if (s.externalName !== undefined && s.externalName !== '') out.push({ field: 'spec.externalName', message: `Forbidden: may only be set when \`type\` is 'ExternalName' (got '${type}')` });
  if ((s.ports ?? []).length === 0 && s.clusterIP !== headlessClusterIP) out.push({ field: 'spec.ports', message: 'Required value: a Service needs at least one port (headless Services, clusterIP: None, may have none)' });
  if (type === 'NodePort' && s.clusterIP === headlessClusterIP) out.push({ field: 'spec.clusterIP', message: 'Invalid value: "None": may not be set to \'None\' for NodePort services' });
  if (s.clusterIP !== undefined && s.clusterIP !== '' && s.clusterIP !== headlessClusterIP && ipFamily(s.clusterIP) !== 4) {
    out.push({ field: 'spec.clusterIP', message: `Invalid value: ${JSON.stringify(s.clusterIP)}: must be empty, 'None', or an IPv4 address in the service CIDR` });
  }
  if (s.clusterIPs && s.clusterIPs.length > 0 && s.clusterIP !== undefined && s.clusterIP !== '' && s.clusterIPs[0] !== s.clusterIP) {
    out.push({ field: 'spec.clusterIPs[0]', message: `Invalid value: ${JSON.stringify(s.clusterIPs[0])}: must be the same as spec.clusterIP (${s.clusterIP})` });
  }
  if (s.clusterIPs && s.clusterIPs.length > 1) out.push({ field: 'spec.clusterIPs', message: 'Invalid value: Lantern serves IPv4 single-stack Services: give at most one cluster IP' });
}

function checkSelector(svc: Service, out: FieldCause[]): void {
  for (const [k, v] of Object.entries(svc.spec.selector ?? {})) {
    const badKey = checkLabelKey(k);
    if (badKey) out.push({ field: `spec.selector`, message: badKey });
    const badValue = checkLabelValue(v);
    if (badValue) out.push({ field: `spec.selector[${k}]`, message: badValue });
  }
}

/** Service validation beyond the schema: types, ports, names, selector. */
export function checkService(svc: Service): FieldCause[] {
  const out: FieldCause[] = [];
  checkType(svc, out);
  checkPorts(svc, out);
  checkSelector(svc, out);
  if (svc.spec.sessionAffinityConfig?.clientIP && svc.spec.sessionAffinity !== 'ClientIP') {
    out.push({ field: 'spec.sessionAffinityConfig', message: 'Forbidden: may only be set when sessionAffinity is ClientIP' });
  }
  return out;
}

/** Kubernetes' Service defaults: type, protocol, targetPort = port, affinity, traffic policies. */
export function defaultService(svc: Service): void {
  const s = svc.spec;
  s.type ??= 'ClusterIP';
  if (s.type === 'ExternalName') return;
  s.sessionAffinity ??= 'None';
  if (s.sessionAffinity === 'ClientIP') {
    s.sessionAffinityConfig = { clientIP: { timeoutSeconds: s.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? defaultAffinityTimeoutSeconds } };
  }
  for (const p of s.ports ?? []) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
    if (typeof p.targetPort === 'string' && /^[0-9]+$/.test(p.targetPort)) p.targetPort = Number(p.targetPort);
  }
  s.internalTrafficPolicy ??= 'Cluster';
  if (s.type === 'NodePort') s.externalTrafficPolicy ??= 'Cluster';
  s.ipFamilies ??= ['IPv4'];
  s.ipFamilyPolicy ??= 'SingleStack';
  svc.status ??= { loadBalancer: {} };
}

/** The Service kind (core v1). */
export const serviceKind: KindInfo<Service> = withRules(serviceModule, {
  schema: ServiceSchema,
  check: checkService,
  applyDefaults: defaultService,
});
