import { createPublicKey } from 'node:crypto';
import type { KindInfo } from './kind.js';
import { clusterImagePolicyModule } from './modules/policy.js';
import { ClusterImagePolicySchema, type ClusterImagePolicy } from '../schema/cluster-image-policy.js';
import type { FieldCause } from '../errors.js';
import { withRules } from './with-rules.js';

/** Why data is not a Sigstore trusted_root.json with a CA and a log, or undefined (the node parses it fully). */
export function trustedRootProblem(data: string): string | undefined {
  let doc: unknown;
  try { doc = JSON.parse(data); } catch (e) { return `is not JSON (a Sigstore trusted_root.json): ${(e as Error).message}`; }
  const o = doc as { certificateAuthorities?: unknown; tlogs?: unknown } | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'must be a JSON object (a Sigstore trusted_root.json)';
  if (!Array.isArray(o.certificateAuthorities) || o.certificateAuthorities.length === 0) return 'must list at least one certificate authority (certificateAuthorities, Fulcio)';
  if (!Array.isArray(o.tlogs) || o.tlogs.length === 0) return 'must list at least one transparency log key (tlogs, Rekor)';
  return undefined;
}

/** Why a glob is not one Lantern matches with, or undefined (registry/path chars, `*` and `**`). */
export function globProblem(glob: string): string | undefined {
  if (!/^[A-Za-z0-9._:/@*\-[\]]+$/.test(glob)) return 'may hold only image-reference characters and * or ** (e.g. "registry.example/team/**")';
  if (/\*{3,}/.test(glob)) return 'has *** (use * within a path component or ** across components)';
  return undefined;
}

/** Why key data is not an ECDSA P-256 public key in SPKI PEM (cosign.pub), or undefined. */
export function publicKeyProblem(data: string): string | undefined {
  if (!/-----BEGIN PUBLIC KEY-----/.test(data)) return 'must be a PEM "PUBLIC KEY" block (the contents of cosign.pub)';
  try {
    const k = createPublicKey(data);
    if (k.asymmetricKeyType !== 'ec' || k.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return `must be an ECDSA P-256 key, not ${k.asymmetricKeyType === 'ec' ? `curve ${k.asymmetricKeyDetails?.namedCurve}` : k.asymmetricKeyType}`;
  } catch (e) {
    return `is not a readable public key (${(e as Error).message})`;
  }
  return undefined;
}

/** The ClusterImagePolicy kind: every glob and key is checked at admission, so a node never meets a malformed one. */
export const clusterImagePolicyKind: KindInfo<ClusterImagePolicy> = withRules(clusterImagePolicyModule, {
  schema: ClusterImagePolicySchema,
  check(p) {
    const out: FieldCause[] = [];
    p.spec.images.forEach((im, i) => { const why = globProblem(im.glob); if (why) out.push({ field: `spec.images[${i}].glob`, message: why }); });
    p.spec.authorities.forEach((a, i) => {
      if (!a.key === !a.keyless) { out.push({ field: `spec.authorities[${i}]`, message: 'expected exactly one of key or keyless' }); return; }
      const why = a.key ? publicKeyProblem(a.key.data) : undefined;
      if (why) out.push({ field: `spec.authorities[${i}].key.data`, message: why });
      if (a.keyless) { const bad = trustedRootProblem(a.keyless.trustedRoot.data); if (bad) out.push({ field: `spec.authorities[${i}].keyless.trustedRoot.data`, message: bad }); }
    });
    return out;
  },
  applyDefaults(p) {
    p.spec.mode ??= 'enforce';
  },
});
