import { kinds } from '../api/kinds/index.js';
import { groupVersionPath } from '../api/kinds/module.js';

/** Resources that are no kind of the list but are addressed like one (cluster-scoped). */
const otherClusterScoped = new Set(['namespaces']);

/**
 * The URL path of a resource collection, object or subresource: each kind under its own group and
 * version (the server serves it nowhere else), a resource of no kind under /api/v1.
 */
export function resourcePath(resource: string, namespace?: string, name?: string, sub?: string): string {
  const kind = kinds.get(resource);
  const base = kind === undefined ? '/api/v1' : groupVersionPath(kind.apiVersion);
  const clusterScoped = kind === undefined ? otherClusterScoped.has(resource) : !kind.namespaced;
  let p = clusterScoped || namespace === undefined
    ? `${base}/${resource}`
    : `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (sub !== undefined) p += `/${sub}`;
  return p;
}
