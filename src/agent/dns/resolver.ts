/**
 * The cluster zone's answers, pure: a question and the records in, the answer out (or "forward" for a
 * name outside the cluster). Names follow Kubernetes' DNS specification for Services and Pods:
 *   SVC.NS.svc.DOMAIN            A: the clusterIP; headless: every ready endpoint; ExternalName: CNAME
 *   HOST.SVC.NS.svc.DOMAIN       A: the endpoint with that hostname (or address with dashes)
 *   _PORT._PROTO.SVC.NS.svc.DOMAIN  SRV for a named port
 *   A-B-C-D.NS.pod.DOMAIN        A: that address (CoreDNS' "pods insecure")
 *   D.C.B.A.in-addr.arpa         PTR for a Service's clusterIP or an endpoint's address
 */
import type { Answer, Question, SoaAnswer, SrvAnswer } from 'dns-packet';
import { isIPv4, type ClusterRecords, type ServiceRecord } from './records.js';

/** What the zone says about one question. */
export type Resolution =
  | {
    kind: 'answer';
    /** NOERROR (possibly no data) or NXDOMAIN. */
    rcode: 'NOERROR' | 'NXDOMAIN';
    answers: Answer[];
    additionals: Answer[];
    /** The SOA of a negative answer, for the client's negative cache. */
    authorities: Answer[];
    /** An ExternalName's target, to be resolved and appended after the CNAME. */
    chase?: string;
  }
  | { kind: 'forward' };

/** The TTL of cluster answers (CoreDNS' kubernetes plugin default). */
export const clusterTtl = 5;

/** Answers one question from the records; names outside domain (and unknown reverse names) are forwarded. */
export function resolve(q: Question, records: ClusterRecords, domain: string): Resolution {
  const name = q.name.replace(/\.$/, '').toLowerCase();
  const type: string = q.type; // ANY (255) is not in dns-packet's RecordType
  if (name.endsWith('.in-addr.arpa')) return reverse(name, type, records, domain);
  if (name !== domain && !name.endsWith(`.${domain}`)) return { kind: 'forward' };
  const labels = name === domain ? [] : name.slice(0, -domain.length - 1).split('.');
  const found = lookup(labels, records, domain);
  const soa = soaOf(domain);
  if (!found) return negative('NXDOMAIN', soa);
  if (found.cname) {
    if (type === 'CNAME' || type === 'ANY') return positive([cname(q.name, found.cname)], []);
    return { kind: 'answer', rcode: 'NOERROR', answers: [cname(q.name, found.cname)], additionals: [], authorities: [], chase: found.cname };
  }
  if (labels.length === 0 && type === 'SOA') return positive([soa], []);
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  if (type === 'A' || type === 'ANY') for (const ip of found.ips) answers.push({ type: 'A', name: q.name, ttl: clusterTtl, data: ip });
  if (type === 'SRV' || type === 'ANY') {
    for (const s of found.srv) {
      answers.push(s.srv(q.name));
      additionals.push(...s.targets.map((t) => ({ type: 'A' as const, name: t.name, ttl: clusterTtl, data: t.ip })));
    }
  }
  return answers.length > 0 ? positive(answers, additionals) : negative('NOERROR', soa);
}

interface Srv { srv(qname: string): SrvAnswer; targets: Array<{ name: string; ip: string }> }
interface Found { ips: string[]; srv: Srv[]; cname?: string }

/** What the labels before the cluster domain name; undefined when the name does not exist. */
function lookup(labels: string[], records: ClusterRecords, domain: string): Found | undefined {
  const none: Found = { ips: [], srv: [] };
  const n = labels.length;
  const zone = labels[n - 1];
  // The domain, svc.DOMAIN, pod.DOMAIN and NS.svc/NS.pod exist as names but hold no records.
  if (n === 0) return none;
  if (zone !== 'svc' && zone !== 'pod') return undefined;
  if (n <= 2) return none;
  const ns = labels[n - 2]!;
  if (zone === 'pod') {
    if (n !== 3) return undefined;
    const ip = labels[0]!.replaceAll('-', '.');
    return isIPv4(ip) ? { ips: [ip], srv: [] } : undefined;
  }
  const svc = records.service(ns, labels[n - 3]!);
  if (!svc) return undefined;
  if (n === 3) return serviceAnswer(svc, domain);
  if (svc.externalName) return undefined;
  if (n === 4) {
    const ips = svc.endpoints.filter((e) => e.label === labels[0]).map((e) => e.ip);
    return ips.length > 0 ? { ips, srv: [] } : undefined;
  }
  if (n === 5 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
    const port = labels[0]!.slice(1);
    const proto = labels[1]!.slice(1);
    const p = svc.ports.get(port);
    if (!p || p.protocol !== proto) return undefined;
    return { ips: [], srv: srvOf(svc, port, p.port, domain) };
  }
  return undefined;
}

function serviceAnswer(svc: ServiceRecord, domain: string): Found {
  if (svc.externalName) return { ips: [], srv: [], cname: svc.externalName };
  const ips = svc.headless ? svc.endpoints.map((e) => e.ip) : svc.clusterIP ? [svc.clusterIP] : [];
  const srv = [...svc.ports.entries()].flatMap(([name, p]) => srvOf(svc, name, p.port, domain));
  return { ips, srv };
}

/** SRV records of a named port: the Service itself, or each endpoint of a headless one. */
function srvOf(svc: ServiceRecord, portName: string, servicePort: number, domain: string): Srv[] {
  const base = `${svc.name}.${svc.namespace}.svc.${domain}`;
  const make = (target: string, port: number, ip: string): Srv => ({
    srv: (qname) => ({ type: 'SRV', name: qname, ttl: clusterTtl, data: { priority: 0, weight: 100, port, target } }),
    targets: [{ name: target, ip }],
  });
  if (!svc.headless) return svc.clusterIP ? [make(base, servicePort, svc.clusterIP)] : [];
  return svc.endpoints.map((e) => make(`${e.label}.${base}`, e.ports.get(portName)?.port ?? servicePort, e.ip));
}

function reverse(name: string, type: string, records: ClusterRecords, domain: string): Resolution {
  const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
  if (parts.length !== 4) return { kind: 'forward' };
  const ip = parts.reverse().join('.');
  const names = isIPv4(ip) ? records.namesOf(ip) : [];
  if (names.length === 0) return { kind: 'forward' };
  if (type !== 'PTR' && type !== 'ANY') return negative('NOERROR', undefined);
  return positive(names.map((n) => ({ type: 'PTR' as const, name, ttl: clusterTtl, data: `${n}.${domain}` })), []);
}

const positive = (answers: Answer[], additionals: Answer[]): Resolution => ({ kind: 'answer', rcode: 'NOERROR', answers, additionals, authorities: [] });

function negative(rcode: 'NOERROR' | 'NXDOMAIN', soa: SoaAnswer | undefined): Resolution {
  return { kind: 'answer', rcode, answers: [], additionals: [], authorities: soa ? [soa] : [] };
}

const cname = (name: string, target: string): Answer => ({ type: 'CNAME', name, ttl: clusterTtl, data: target });

/** The zone's SOA, as CoreDNS' kubernetes plugin makes it. */
function soaOf(domain: string): SoaAnswer {
  return {
    type: 'SOA', name: domain, ttl: clusterTtl,
    data: { mname: `ns.dns.${domain}`, rname: `hostmaster.${domain}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: clusterTtl },
  };
}
