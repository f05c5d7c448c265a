/**
 * Kubernetes' legacy discovery, what kubectl and the client libraries read before naming a kind:
 * /api (APIVersions), /apis (APIGroupList), /apis/GROUP (APIGroup), and /api/v1 and /apis/GROUP/VERSION
 * (APIResourceList, api/kinds/discovery.ts), all made from the kind list. Any authenticated caller may
 * read them, as Kubernetes' system:discovery role allows every authenticated user: they name kinds,
 * never objects. kubectl asks first for aggregated discovery (apidiscovery.k8s.io/v2) and falls back to
 * these when the answer is a plain application/json document.
 */
import type http from 'node:http';
import { kindModules } from '../../api/kinds/index.js';
import { apiResourceList } from '../../api/kinds/discovery.js';

interface GroupVersionForDiscovery { groupVersion: string; version: string }
interface APIGroup { name: string; versions: GroupVersionForDiscovery[]; preferredVersion: GroupVersionForDiscovery }

/** The named groups served (every kind's group but the core one), each with its versions. */
function groups(): APIGroup[] {
  const byGroup = new Map<string, Set<string>>();
  // metrics.k8s.io is no kind's group, but kubectl top looks for it here (node-metrics.ts serves it).
  for (const apiVersion of [...kindModules.map((k) => k.apiVersion), 'metrics.k8s.io/v1beta1']) {
    if (!apiVersion.includes('/')) continue;
    const [group, version] = apiVersion.split('/') as [string, string];
    (byGroup.get(group) ?? byGroup.set(group, new Set()).get(group)!).add(version);
  }
  return [...byGroup].sort(([a], [b]) => a.localeCompare(b)).map(([name, versions]) => {
    const list = [...versions].sort().reverse().map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: list, preferredVersion: list[0]! };
  });
}

/** Where kubectl should send requests from any address: the address it reached us on. */
function serverAddress(req: http.IncomingMessage): string {
  return req.headers.host ?? `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 6443}`;
}

/** The discovery document of a path, or undefined when the path is no discovery path. */
export function discoveryDocument(pathname: string, req: http.IncomingMessage): unknown {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/api') {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: serverAddress(req) }] };
  }
  if (path === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups() };
  if (path === '/api/v1') return apiResourceList('v1');
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (m === null) return undefined;
  if (m[2] !== undefined) return apiResourceList(`${m[1]!}/${m[2]}`);
  const group = groups().find((g) => g.name === m[1]);
  return group === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...group };
}
