/**
 * kubectl's client-side apply: a three-way merge of the last applied configuration (kept in an
 * annotation), the file, and the live object. Maps merge key by key; lists and scalars are replaced.
 */

/** Where the last applied configuration lives, as with kubectl. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, unknown>;

const isMap = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merge desired into live: a key set in desired wins (maps recursively); a key that was in last
 * but is no longer in desired (or is null there) is removed; keys only live has (set by the server or
 * another actor) stay. Returns a new value; the inputs are not changed.
 */
export function threeWayMerge(last: unknown, desired: unknown, live: unknown): unknown {
  if (!isMap(desired) || !isMap(live)) return structuredClone(desired);
  const before = isMap(last) ? last : {};
  const out: Obj = structuredClone(live);
  for (const k of Object.keys(before)) if (!(k in desired)) delete out[k];
  for (const [k, v] of Object.entries(desired)) {
    if (v === null || v === undefined) { delete out[k]; continue; }
    out[k] = isMap(v) && isMap(live[k]) ? threeWayMerge(before[k], v, live[k]) : structuredClone(v);
  }
  return out;
}

/** The object as the file gives it, with its own last-applied annotation dropped (kubectl's form). */
function withoutAnnotation(obj: Obj): Obj {
  const copy = structuredClone(obj);
  const meta = isMap(copy.metadata) ? copy.metadata : undefined;
  const ann = meta && isMap(meta.annotations) ? meta.annotations : undefined;
  if (ann && LAST_APPLIED in ann) {
    delete ann[LAST_APPLIED];
    if (Object.keys(ann).length === 0 && meta) delete meta.annotations;
  }
  return copy;
}

/** The file's object with the last-applied annotation set to its own JSON: what create sends. */
export function withLastApplied<T extends object>(desired: T): T {
  const clean = withoutAnnotation(desired as Obj);
  const out = structuredClone(clean);
  const meta = (isMap(out.metadata) ? out.metadata : (out.metadata = {})) as Obj;
  meta.annotations = { ...(isMap(meta.annotations) ? meta.annotations : {}), [LAST_APPLIED]: JSON.stringify(clean) };
  return out as T;
}

/** The last configuration applied to live, or undefined when it was never applied (or is unreadable). */
export function lastApplied(live: object): Obj | undefined {
  const meta = (live as Obj).metadata;
  const text = isMap(meta) && isMap(meta.annotations) ? meta.annotations[LAST_APPLIED] : undefined;
  if (typeof text !== 'string') return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return isMap(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** What apply PUTs for an existing object: live, patched by the file against the last applied. */
export function applyPatch<T extends object>(desired: T, live: object): T {
  const target = withLastApplied(desired) as Obj;
  const merged = threeWayMerge(lastApplied(live) ?? {}, target, live) as Obj;
  const meta = merged.metadata as Obj;
  const liveMeta = (live as Obj).metadata as Obj | undefined;
  if (liveMeta?.resourceVersion !== undefined) meta.resourceVersion = liveMeta.resourceVersion;
  return merged as T;
}
