/** Compare object content independent of key order, for apply's "unchanged". */

/** JSON with object keys sorted at every level; empty maps and undefined compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const child = (v as Record<string, unknown>)[k];
    if (child === undefined) continue;
    out[k] = sortKeys(child);
  }
  return out;
}

/** The parts of an object apply owns: spec, labels and annotations. */
export function appliedContent(obj: { spec?: unknown; metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } }): string {
  return canonical({ spec: obj.spec ?? {}, labels: obj.metadata.labels ?? {}, annotations: obj.metadata.annotations ?? {} });
}
