/** The one way an object becomes a work-queue key and back (client-go's MetaNamespaceKeyFunc). */

/** "namespace/name", or "name" for a cluster-scoped object. */
export const keyOf = (o: { metadata: { name: string; namespace?: string } }): string =>
  (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

/** The namespace (undefined for a cluster-scoped key) and name of a key made by keyOf. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
