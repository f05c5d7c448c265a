/** kubectl label's arguments: `key=value` sets, `key-` removes. */
import { checkLabelKey, checkLabelValue } from '../../api/names.js';
import { CliError, UsageError } from '../errors.js';

/** What a label command asks for. */
export interface LabelChanges { set: Record<string, string>; remove: string[] }

/** Parse label arguments; throws UsageError naming the bad one. */
export function parseLabelSpecs(specs: readonly string[]): LabelChanges {
  const out: LabelChanges = { set: {}, remove: [] };
  for (const spec of specs) {
    if (spec.endsWith('-') && !spec.includes('=')) {
      const key = spec.slice(0, -1);
      const bad = checkLabelKey(key);
      if (bad) throw new UsageError(`invalid label spec: ${spec}, ${bad}`);
      out.remove.push(key);
      continue;
    }
    const eq = spec.indexOf('=');
    if (eq < 0) throw new UsageError(`invalid label spec: ${spec}: use key=value to set a label, key- to remove it`);
    const key = spec.slice(0, eq);
    const value = spec.slice(eq + 1);
    const bad = checkLabelKey(key) ?? checkLabelValue(value);
    if (bad) throw new UsageError(`invalid label spec: ${spec}, ${bad}`);
    if (key in out.set && out.set[key] !== value) throw new UsageError(`invalid label spec: ${spec}: ${key} is given twice with different values`);
    out.set[key] = value;
  }
  for (const k of out.remove) if (k in out.set) throw new UsageError(`can not both modify and remove a label in the same command: ${k}`);
  if (Object.keys(out.set).length === 0 && out.remove.length === 0) throw new UsageError('at least one label update is required');
  return out;
}

/** The labels after the changes and notes for the user; changing a value needs overwrite, as kubectl. */
export function applyLabels(current: Readonly<Record<string, string>>, changes: LabelChanges, overwrite: boolean): { labels: Record<string, string>; warnings: string[] } {
  const labels = { ...current };
  const warnings: string[] = [];
  for (const [k, v] of Object.entries(changes.set)) {
    const old = labels[k];
    if (old !== undefined && old !== v && !overwrite) throw new CliError(`'${k}' already has a value (${old}), and --overwrite is false`);
    labels[k] = v;
  }
  for (const k of changes.remove) {
    if (!(k in labels)) warnings.push(`label ${JSON.stringify(k)} not found.`);
    delete labels[k];
  }
  return { labels, warnings };
}
