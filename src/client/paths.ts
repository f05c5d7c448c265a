/** Cluster-scoped resources; everything else lives in a namespace. */
const clusterScoped = new Set(['nodes', 'namespaces', 'priorityclasses']);

/** The URL path of a resource collection, object or subresource. */
export function resourcePath(resource: string, namespace?: string, name?: string, sub?: string): string {
  let p = clusterScoped.has(resource) || namespace === undefined
    ? `/api/v1/${resource}`
    : `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (sub !== undefined) p += `/${sub}`;
  return p;
}
