/**
 * The lists a strategic merge patch merges rather than replaces, with the key that matches their items
 * (Kubernetes' patchStrategy:"merge" patchMergeKey tags on the built-in types). Lists not named here are
 * replaced whole, as Kubernetes does for lists without a strategy (tolerations, args, command).
 */

/** A list merged by matching items on a key. */
export interface MergeKey { key: string }

/** Lists of maps merged by key, by field name (the same field name has the same key in every built-in kind). */
const byField: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  readinessGates: 'conditionType',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};

/** Lists of strings merged as sets (patchStrategy:"merge" on a primitive list). */
const primitiveSets = new Set(['finalizers']);

/**
 * The merge key of the list `field` whose items look like `sample`: ports are keyed by containerPort in a
 * container and by port in a Service, told apart by what the items carry.
 */
export function mergeKeyOf(field: string, sample: unknown): string | undefined {
  if (field === 'ports') {
    const item = (sample ?? {}) as Record<string, unknown>;
    return 'containerPort' in item ? 'containerPort' : 'port';
  }
  return byField[field];
}

/** True when the list `field` of primitives merges as a set. */
export function isPrimitiveSet(field: string): boolean {
  return primitiveSets.has(field);
}
