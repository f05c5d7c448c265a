/** Cluster-scoped resources; everything else lives in a namespace. */
const clusterScoped = new Set(['queues', 'nodes', 'namespaces', 'priorityclasses']);

/**
 * Resources of a named API group, by the prefix they are served under (the server serves each kind
 * only under its own apiVersion; paths.test.ts checks this table against api/kinds).
 */
const groupOf: Record<string, string> = {
  deployments: '/apis/apps/v1', replicasets: '/apis/apps/v1', jobs: '/apis/batch/v1', horizontalpodautoscalers: '/apis/autoscaling/v2',
  priorityclasses: '/apis/scheduling.k8s.io/v1', podgroups: '/apis/lantern.dev/v1', queues: '/apis/lantern.dev/v1', workflows: '/apis/lantern.dev/v1',
};

/** The URL path of a resource collection, object or subresource. */
export function resourcePath(resource: string, namespace?: string, name?: string, sub?: string): string {
  const base = groupOf[resource] ?? '/api/v1';
  let p = clusterScoped.has(resource) || namespace === undefined
    ? `${base}/${resource}`
    : `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (sub !== undefined) p += `/${sub}`;
  return p;
}
