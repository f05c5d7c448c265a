/**
 * The pure half of the service proxy: one Service and its EndpointSlices in, the nftables chains, sets
 * and map elements that implement it out (kube-proxy's nftables mode is the model). Nothing here runs
 * nft; script.ts turns rules into text and syncer.ts applies them.
 */
import type { Service, ServicePort } from '../../api/schema/service.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';
import { affinitySet, endpointChain, externalChain, pickMap, serviceChain, servicePortName } from './names.js';

/** The maps of the table whose elements services add (their keys: `ip . proto . port` or `proto . port`). */
export type ProxyMapName = 'service-ips' | 'service-nodeports' | 'no-endpoint-services' | 'no-endpoint-nodeports';

/** One element of a verdict map. */
export interface MapElement {
  map: ProxyMapName;
  key: string;
  verdict: string;
}

/** What one Service adds to the table; the unit of a partial sync. */
export interface ServiceRules {
  /** chain name -> its rules, in order. */
  chains: Map<string, string[]>;
  /** ClientIP affinity sets: name -> timeout in seconds. */
  sets: Map<string, number>;
  /** Endpoint-pick maps: name -> elements (`0 : goto ep-...`). */
  maps: Map<string, string[]>;
  /** `map|key` -> element. */
  elements: Map<string, MapElement>;
}

/** How this node tells its own pods from everyone else (kube-proxy's --detect-local-mode=BridgeInterface). */
export interface CompileOptions {
  /**
   * Interfaces local pods' traffic enters by (the pod bridge). ClusterIP traffic from anywhere else
   * (the host itself, another machine) is masqueraded so replies come back through this node;
   * empty: masquerade all ClusterIP traffic.
   */
  podInterfaces?: readonly string[];
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const ifname = /^[A-Za-z0-9_.@-]{1,15}$/;

/** Kubernetes' default ClientIP affinity timeout (three hours). */
const defaultAffinityTimeoutSeconds = 10800;

function validPort(p: number | undefined): p is number {
  return p !== undefined && Number.isInteger(p) && p >= 1 && p <= 65535;
}

/** The empty rule set (a Service the proxy programs nothing for). */
export function emptyRules(): ServiceRules {
  return { chains: new Map(), sets: new Map(), maps: new Map(), elements: new Map() };
}

/** True when the proxy programs a Service at all: headless, ExternalName and IPv6-only get no rules. */
export function isProxied(svc: Service): boolean {
  const ip = svc.spec.clusterIP;
  return svc.spec.type !== 'ExternalName' && ip !== undefined && ipv4.test(ip);
}

/** Ready `ip:port` endpoints of one Service port, deduplicated and sorted (a stable numgen order). */
export function readyEndpoints(port: ServicePort, slices: readonly EndpointSlice[]): string[] {
  const protocol = port.protocol ?? 'TCP';
  const out = new Set<string>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const sp = (slice.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === protocol);
    if (!validPort(sp?.port)) continue;
    for (const ep of slice.endpoints) {
      // Kubernetes: an absent `ready` means ready; serving-but-terminating endpoints are not used.
      if (ep.conditions?.ready === false) continue;
      const addr = ep.addresses[0];
      if (addr !== undefined && ipv4.test(addr)) out.add(`${addr}:${sp!.port}`);
    }
  }
  return [...out].sort();
}

/** The chains, sets and map elements of one Service. */
export function compileService(svc: Service, slices: readonly EndpointSlice[], opts: CompileOptions = {}): ServiceRules {
  const rules = emptyRules();
  if (!isProxied(svc)) return rules;
  const clusterIP = svc.spec.clusterIP!;
  const timeout = svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  const affinity = svc.spec.sessionAffinity !== 'ClientIP' ? undefined
    : Number.isInteger(timeout) && timeout! > 0 ? timeout! : defaultAffinityTimeoutSeconds;
  const local = (opts.podInterfaces ?? []).filter((i) => ifname.test(i));
  // One interface without braces: an anonymous set per Service costs the kernel a scan of all of them.
  const masqueradeUnlessLocal = local.length === 0 ? 'jump mark-for-masquerade'
    : local.length === 1 ? `iifname != "${local[0]}" jump mark-for-masquerade`
      : `iifname != { ${local.map((i) => `"${i}"`).join(', ')} } jump mark-for-masquerade`;
  const element = (map: ProxyMapName, key: string, verdict: string): void => {
    rules.elements.set(`${map}|${key}`, { map, key, verdict });
  };
  const ns = svc.metadata.namespace ?? 'default';
  for (const port of svc.spec.ports ?? []) {
    const proto = (port.protocol ?? 'TCP').toLowerCase();
    const spn = servicePortName(ns, svc.metadata.name, proto, port.name || String(port.port));
    if (!validPort(port.port)) continue;
    const nodePort = (svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer') && validPort(port.nodePort) ? port.nodePort : undefined;
    const ipKey = `${clusterIP} . ${proto} . ${port.port}`;
    const npKey = nodePort ? `${proto} . ${nodePort}` : undefined;
    const endpoints = readyEndpoints(port, slices);
    if (endpoints.length === 0) {
      // Fail fast: ICMP port unreachable (ECONNREFUSED), checked in the filter chains before NAT.
      element('no-endpoint-services', ipKey, 'goto reject-chain');
      if (npKey) element('no-endpoint-nodeports', npKey, 'goto reject-chain');
      continue;
    }
    const svcChain = serviceChain(spn);
    const pick: string[] = [masqueradeUnlessLocal];
    endpoints.forEach((ep) => {
      const [ip, epPort] = ep.split(':') as [string, string];
      const chain = endpointChain(spn, ep);
      const epRules = [`ip saddr ${ip} jump mark-for-masquerade`]; // hairpin: a pod reaching itself
      if (affinity !== undefined) {
        const set = affinitySet(spn, ep, affinity);
        rules.sets.set(set, affinity);
        pick.push(`ip saddr @${set} goto ${chain}`);
        epRules.push(`update @${set} { ip saddr }`);
      }
      epRules.push(`meta l4proto ${proto} dnat to ${ip}:${epPort}`);
      rules.chains.set(chain, epRules);
    });
    const map = pickMap(spn);
    rules.maps.set(map, endpoints.map((ep, i) => `${i} : goto ${endpointChain(spn, ep)}`));
    pick.push(`numgen random mod ${endpoints.length} vmap @${map}`);
    rules.chains.set(svcChain, pick);
    element('service-ips', ipKey, `goto ${svcChain}`);
    if (npKey) {
      const ext = externalChain(spn);
      rules.chains.set(ext, ['jump mark-for-masquerade', `goto ${svcChain}`]);
      element('service-nodeports', npKey, `goto ${ext}`);
    }
  }
  return rules;
}
