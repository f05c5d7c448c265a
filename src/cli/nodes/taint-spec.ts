/** kubectl taint's arguments: `key=value:Effect` adds, `key:Effect-` and `key-` remove. */
import type { Taint } from '../../api/node.js';
import { checkLabelKey, checkLabelValue } from '../../api/names.js';
import { CliError, UsageError } from '../errors.js';

const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
type Effect = Taint['effect'];

/** A taint to remove: every effect of the key when effect is absent. */
export interface TaintRemoval { key: string; value?: string; effect?: Effect }

/** What a taint command asks for. */
export interface TaintChanges { add: Taint[]; remove: TaintRemoval[] }

/** How kubectl writes a taint: key=value:Effect, key:Effect or key. */
export function taintText(t: { key: string; value?: string; effect?: string }): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;
}

function effectOf(spec: string, text: string): Effect {
  const e = effects.find((x) => x === text);
  if (!e) throw new UsageError(`invalid taint spec: ${spec}, invalid taint effect: ${text}, unsupported taint effect`);
  return e;
}

function keyValue(spec: string, text: string): { key: string; value?: string } {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  const value = eq < 0 ? undefined : text.slice(eq + 1);
  const bad = checkLabelKey(key) ?? (value !== undefined ? checkLabelValue(value) : undefined);
  if (key === '' || bad) throw new UsageError(`invalid taint spec: ${spec}, ${bad ?? 'the key is required'}`);
  return value === undefined || value === '' ? { key } : { key, value };
}

/** Parse taint arguments; throws UsageError with kubectl's message for a bad one. */
export function parseTaintSpecs(specs: readonly string[]): TaintChanges {
  const out: TaintChanges = { add: [], remove: [] };
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const body = spec.slice(0, -1);
      const colon = body.indexOf(':');
      const kv = keyValue(spec, colon < 0 ? body : body.slice(0, colon));
      out.remove.push(colon < 0 ? kv : { ...kv, effect: effectOf(spec, body.slice(colon + 1)) });
      continue;
    }
    const colon = spec.lastIndexOf(':');
    if (colon < 0) throw new UsageError(`invalid taint spec: ${spec}, the effect is required: use key=value:Effect with Effect one of ${effects.join(', ')}`);
    out.add.push({ ...keyValue(spec, spec.slice(0, colon)), effect: effectOf(spec, spec.slice(colon + 1)) });
  }
  for (const a of out.add) {
    if (out.remove.some((r) => r.key === a.key && (r.effect === undefined || r.effect === a.effect))) {
      throw new UsageError(`can not both modify and remove the following taint(s) in the same command: ${taintText(a)}`);
    }
  }
  if (out.add.length === 0 && out.remove.length === 0) throw new UsageError('at least one taint update is required');
  return out;
}

/**
 * The node's taints after the changes. A taint with the same key and effect as an existing one needs
 * overwrite; removing one that is not there is an error, as in kubectl.
 */
export function applyTaints(nodeName: string, current: readonly Taint[], changes: TaintChanges, overwrite: boolean): Taint[] {
  let next = [...current];
  for (const r of changes.remove) {
    const kept = next.filter((t) => !(t.key === r.key && (r.effect === undefined || t.effect === r.effect)));
    if (kept.length === next.length) throw new CliError(`taint ${JSON.stringify(taintText(r))} not found`);
    next = kept;
  }
  for (const a of changes.add) {
    const i = next.findIndex((t) => t.key === a.key && t.effect === a.effect);
    if (i < 0) { next.push(a); continue; }
    if (!overwrite) throw new CliError(`Node ${nodeName} already has ${a.key} taint(s) with same effect(s) and --overwrite is false`);
    next[i] = a;
  }
  return next;
}
