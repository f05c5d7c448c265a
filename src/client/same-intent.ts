/**
 * Whether a stored object is the one a client sent: everything the client set (labels, annotations,
 * spec, data) is there with the same value. The server only adds to a create (defaults, uid,
 * timestamps), so a create that was resent after a broken connection and met AlreadyExists can tell
 * its own earlier attempt from someone else's object.
 */
import type { ApiObject } from '../api/meta.js';

/** True when every field `sent` gives (outside server-set metadata) has the same value in `stored`. */
export function sameIntent(sent: ApiObject, stored: ApiObject): boolean {
  const s = sent as unknown as Record<string, unknown>;
  const t = stored as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(s)) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    if (!contains(t[k], v)) return false;
  }
  const sm = sent.metadata ?? {};
  const tm = stored.metadata ?? {};
  return contains(tm.labels, sm.labels ?? {}) && contains(tm.annotations, sm.annotations ?? {});
}

/** `have` holds everything of `want`: objects by their keys, arrays element by element, the rest equal. */
function contains(have: unknown, want: unknown): boolean {
  if (want === undefined) return true;
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => contains(have[i], w));
  }
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return Object.keys(want).length === 0 && have === undefined;
    const h = have as Record<string, unknown>;
    return Object.entries(want as Record<string, unknown>).every(([k, w]) => contains(h[k], w));
  }
  return have === want;
}
