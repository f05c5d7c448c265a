/**
 * Forms kube-apiserver accepts that Lantern's strict schemas would refuse, normalised before
 * validation. Only what kubectl and client-go really send: `creationTimestamp: null` in every
 * metadata (Go's zero metav1.Time marshals to null: `kubectl run`, `create --dry-run=client -o yaml`).
 */

/** Remove `metadata.creationTimestamp: null` from OBJ and every nested metadata (pod templates). */
export function acceptKubeForms(obj: unknown, depth = 0): void {
  // Objects are already bounded in depth by the body parser; the bound here only keeps this cheap.
  if (depth > 64 || typeof obj !== 'object' || obj === null) return;
  if (Array.isArray(obj)) { for (const v of obj) acceptKubeForms(v, depth + 1); return; }
  const rec = obj as Record<string, unknown>;
  const meta = rec.metadata;
  if (typeof meta === 'object' && meta !== null && !Array.isArray(meta) && (meta as Record<string, unknown>).creationTimestamp === null) {
    delete (meta as Record<string, unknown>).creationTimestamp;
  }
  for (const [k, v] of Object.entries(rec)) if (k !== 'metadata' && typeof v === 'object') acceptKubeForms(v, depth + 1);
}
