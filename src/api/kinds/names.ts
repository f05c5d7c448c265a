/** Kinds by the names a user types (kubectl's resolution), and how lcctl names the kinds it serves. */
import { kindModules } from './index.js';
import type { KindModule } from './module.js';

/** Every name of a kind, lower-case: plural, singular, short names, and plural/singular.GROUP for a named group. */
export function namesOf(k: KindModule): string[] {
  const names = [k.resource, k.singular, ...k.shortNames, k.kind.toLowerCase()];
  if (k.group !== '') names.push(`${k.resource}.${k.group}`, `${k.singular}.${k.group}`);
  return names;
}

const byName = new Map<string, KindModule>();
for (const k of kindModules) for (const n of namesOf(k)) if (!byName.has(n)) byName.set(n, k);

/** The kind a user means by a name ("po", "pods", "Pod", "deployments.apps"), case-insensitively. */
export function resolveKind(name: string): KindModule | undefined {
  return byName.get(name.toLowerCase());
}

/** "a, b and c". */
export function listText(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

/** "pods (po), nodes (no), ... and workflows (wf)": kinds with their first short name, for messages and help. */
export function kindListText(list: readonly KindModule[] = kindModules): string {
  return listText(list.map((k) => (k.shortNames[0] === undefined ? k.resource : `${k.resource} (${k.shortNames[0]})`)));
}

/** kubectl's error for a name no kind has, with the kinds Lantern serves. */
export function unknownKindMessage(name: string): string {
  return `the server doesn't have a resource type "${name}" (Lantern serves ${kindListText()})`;
}
