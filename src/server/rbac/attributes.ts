/**
 * One table from authz.ts' Action (the words of Lantern's rule table) to Kubernetes' authorization
 * attributes (verb, API group, resource, subresource, name, namespace), so RBAC rules read as in
 * Kubernetes: `create pods/exec`, `get pods/log`, `update deployments/status`, `list nodes` in
 * metrics.k8s.io.
 */
import { kinds } from '../../api/kinds/index.js';
import type { UserAction } from '../http/auth.js';

/** A request as RBAC sees it (kube-apiserver's authorizer.Attributes). */
export interface Attributes {
  verb: string;
  /** True for an API object request; false for a non-resource path (/metrics, /healthz). */
  resourceRequest: boolean;
  apiGroup: string;
  resource: string;
  subresource: string;
  name: string;
  /** '' at the cluster scope. */
  namespace: string;
  /** The URL path of a non-resource request. */
  path: string;
}

/** Lantern verbs that are a Kubernetes verb on a subresource. */
const verbTable: Record<string, { verb: string; subresource: string }> = {
  updateStatus: { verb: 'update', subresource: 'status' },
  log: { verb: 'get', subresource: 'log' },
  stats: { verb: 'get', subresource: 'stats' },
  exec: { verb: 'create', subresource: 'exec' },
  attach: { verb: 'create', subresource: 'attach' },
  portforward: { verb: 'create', subresource: 'portforward' },
  bind: { verb: 'create', subresource: 'binding' },
  tunnel: { verb: 'create', subresource: 'tunnel' },
  join: { verb: 'create', subresource: 'join' },
  // Every image operation (build, pull, push, tag, save) is one grant on lantern.dev images.
  images: { verb: 'use', subresource: '' },
  rotate: { verb: 'update', subresource: '' },
};

/** Lantern's own resources that are no kind: the admin's credential routes, secrets encryption. */
const lanternResources = new Set(['images', 'jointokens', 'nodecredentials', 'admintoken', 'secrets-encryption']);

/** The API group of RESOURCE: its kind's, metrics.k8s.io for `metrics.k8s.io/...`, lantern.dev for Lantern's own. */
function groupOf(resource: string): { apiGroup: string; resource: string } {
  const slash = resource.indexOf('/');
  if (slash > 0 && resource.slice(0, slash).includes('.')) return { apiGroup: resource.slice(0, slash), resource: resource.slice(slash + 1) };
  const kind = kinds.get(resource);
  if (kind !== undefined) return { apiGroup: kind.group, resource };
  return { apiGroup: lanternResources.has(resource) ? 'lantern.dev' : '', resource };
}

/** The attributes of a Lantern action (authz.ts' Action). */
export function attributesOf(a: UserAction): Attributes {
  // GET /metrics is the one non-resource request a rule may name (nonResourceURLs: ["/metrics"]).
  if (a.resource === 'metrics' && a.verb === 'get') return { verb: 'get', resourceRequest: false, apiGroup: '', resource: '', subresource: '', name: '', namespace: '', path: '/metrics' };
  const mapped = verbTable[a.verb];
  let { apiGroup, resource } = groupOf(a.resource);
  let subresource = mapped?.subresource ?? '';
  const slash = resource.indexOf('/');
  if (slash > 0) { subresource = resource.slice(slash + 1); resource = resource.slice(0, slash); }
  if (slash > 0 && apiGroup === '' && kinds.get(resource) !== undefined) apiGroup = kinds.get(resource)!.group;
  return { verb: mapped?.verb ?? a.verb, resourceRequest: true, apiGroup, resource, subresource, name: a.name ?? '', namespace: a.namespace ?? '', path: '' };
}

/** The resource as a rule names it: "pods" or "pods/exec". */
export const combinedResource = (at: Pick<Attributes, 'resource' | 'subresource'>): string => (at.subresource === '' ? at.resource : `${at.resource}/${at.subresource}`);
