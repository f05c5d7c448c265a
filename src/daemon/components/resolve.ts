import type { Component, Key } from './component.js';

/** A list of components that cannot start: a duplicate, a missing or switched-off requirement, or a cycle. */
export class ComponentGraphError extends Error {}

type AnyComponent<C> = Component<C, unknown>;

/**
 * The components this config turns on, each after what it requires and after the optional ones that
 * are on; otherwise in list order, so the list reads as the start order. The whole list is checked
 * (ids, requirements, cycles), not only what this config turns on, so a flag cannot uncover a bad
 * declaration later. Throws ComponentGraphError.
 */
export function startOrder<C>(list: readonly AnyComponent<C>[], config: C): AnyComponent<C>[] {
  const byId = index(list);
  checkCycles(list, byId);
  const on = (c: AnyComponent<C>): boolean => c.enabled?.(config) ?? true;
  const order: AnyComponent<C>[] = [];
  const done = new Set<string>();
  const visit = (c: AnyComponent<C>): void => {
    if (done.has(c.key.id)) return;
    done.add(c.key.id);
    for (const k of c.requires) {
      const dep = byId.get(k.id)!;
      if (!on(dep)) throw new ComponentGraphError(`component "${c.key.id}" requires "${k.id}", which is off with this configuration`);
      visit(dep);
    }
    for (const k of c.optional ?? []) {
      const dep = byId.get(k.id)!;
      if (on(dep)) visit(dep);
    }
    order.push(c);
  };
  for (const c of list) if (on(c)) visit(c);
  return order;
}

/** The components by id, refusing a duplicate id and a requirement no component provides. */
function index<C>(list: readonly AnyComponent<C>[]): Map<string, AnyComponent<C>> {
  const byId = new Map<string, AnyComponent<C>>();
  for (const c of list) {
    if (byId.has(c.key.id)) throw new ComponentGraphError(`component "${c.key.id}" is declared twice`);
    byId.set(c.key.id, c);
  }
  for (const c of list) {
    for (const k of dependencies(c)) {
      if (!byId.has(k.id)) throw new ComponentGraphError(`component "${c.key.id}" requires "${k.id}", which no component provides (known: ${[...byId.keys()].join(', ')})`);
    }
  }
  return byId;
}

/** Refuse components that require each other, naming the circle. */
function checkCycles<C>(list: readonly AnyComponent<C>[], byId: Map<string, AnyComponent<C>>): void {
  const done = new Set<string>();
  const path: string[] = [];
  const walk = (c: AnyComponent<C>): void => {
    if (done.has(c.key.id)) return;
    const at = path.indexOf(c.key.id);
    if (at >= 0) throw new ComponentGraphError(`components require each other in a circle: ${[...path.slice(at), c.key.id].join(' -> ')}`);
    path.push(c.key.id);
    for (const k of dependencies(c)) walk(byId.get(k.id)!);
    path.pop();
    done.add(c.key.id);
  };
  for (const c of list) walk(c);
}

function dependencies<C>(c: AnyComponent<C>): readonly Key<unknown>[] {
  return [...c.requires, ...(c.optional ?? [])];
}
