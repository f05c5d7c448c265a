/** A stable, short hash of a pod template: the `pod-template-hash` label and the ReplicaSet name suffix. */
import type { PodTemplateSpec } from '../../api/schema/apps.js';

/** The label that ties a ReplicaSet and its pods to one template of a Deployment. */
export const templateHashLabel = 'pod-template-hash';

/** JSON with object keys sorted, so equal templates give equal text whatever the key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** 32-bit FNV-1a over the UTF-8 bytes of s. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// Kubernetes' alphabet for generated suffixes: no vowels (no words), no 0/1/3 (look like letters).
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** The template without the hash label, so an RS's template hashes as its Deployment's does. */
export function withoutHashLabel(t: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...t.metadata?.labels };
  delete labels[templateHashLabel];
  return { ...t, metadata: { ...t.metadata, labels } };
}

/** The template's hash: FNV-1a of its canonical JSON (plus collisionCount when set), in that alphabet. */
export function templateHash(t: PodTemplateSpec, collisionCount?: number): string {
  const text = stableStringify(withoutHashLabel(t)) + (collisionCount ? String(collisionCount) : '');
  return [...String(fnv1a(text))].map((d) => alphabet[Number(d)]!).join('') || 'b';
}

/** Do two templates make the same pods (the hash label aside)? */
export const sameTemplate = (a: PodTemplateSpec, b: PodTemplateSpec): boolean =>
  stableStringify(withoutHashLabel(a)) === stableStringify(withoutHashLabel(b));
