/**
 * Kubernetes' discovery documents made from the kind list (served at /api and /apis, server/http/discovery-routes.ts):
 * an APIResourceList names each resource of a group/version with its verbs, scope, kind and short
 * names, and its subresources (status, scale, pods/log ...) as "resource/sub" entries.
 */
import { kindModules } from './index.js';
import type { KindModule } from './module.js';

/** One entry of an APIResourceList (meta/v1 APIResource). */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
}

/** meta/v1 APIResourceList: the resources of one group/version. */
export interface APIResourceList { kind: 'APIResourceList'; apiVersion: 'v1'; groupVersion: string; resources: APIResource[] }

/** What the API server does on every kind's objects (no delete of a whole collection yet). */
const objectVerbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function entries(k: KindModule): APIResource[] {
  const scope = { singularName: '', namespaced: k.namespaced };
  const out: APIResource[] = [{
    name: k.resource, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: [...objectVerbs],
    ...(k.shortNames.length > 0 ? { shortNames: [...k.shortNames] } : {}),
  }];
  const subs = k.subresources;
  if (subs.status) out.push({ name: `${k.resource}/status`, ...scope, kind: k.kind, verbs: ['get', 'patch', 'update'] });
  if (subs.scale) out.push({ name: `${k.resource}/scale`, ...scope, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  for (const o of subs.other ?? []) out.push({ name: `${k.resource}/${o.name}`, ...scope, ...(o.group !== undefined ? { group: o.group, version: o.version } : {}), kind: o.kind, verbs: [...o.verbs] });
  return out;
}

/** The APIResourceList of one group/version ("v1", "apps/v1"), or undefined when no kind is served there. */
export function apiResourceList(groupVersion: string, modules: readonly KindModule[] = kindModules): APIResourceList | undefined {
  const here = modules.filter((k) => k.apiVersion === groupVersion);
  if (here.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: here.flatMap(entries) };
}
