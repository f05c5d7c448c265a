/** The kinds lcctl knows by name (a copy of the API's table, without loading its schemas). */

/** A kind as the CLI addresses it. */
export interface CliKind { kind: string; resource: string; singular: string; namespaced: boolean }

const table: { kind: CliKind; names: string[] }[] = [
  { kind: { kind: 'Pod', resource: 'pods', singular: 'pod', namespaced: true }, names: ['pods', 'pod', 'po'] },
  { kind: { kind: 'Node', resource: 'nodes', singular: 'node', namespaced: false }, names: ['nodes', 'node', 'no'] },
];

/** Find a kind by resource, singular, short name or Kind, case-insensitively. */
export function findCliKind(name: string): CliKind | undefined {
  const n = name.toLowerCase();
  return table.find((t) => t.names.includes(n) || t.kind.kind.toLowerCase() === n)?.kind;
}

/** The error text for a kind lcctl does not know. */
export function unknownKind(name: string): string {
  return `the server doesn't have a resource type "${name}" (Lantern serves pods (po) and nodes (no))`;
}
