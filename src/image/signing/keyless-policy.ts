/**
 * Keyless authorities of a ClusterImagePolicy on the node: Sigstore bundles attached to the image as
 * OCI 1.1 referrers (read through the referrers tag schema, `sha256-<hex>`, an index of artifacts whose
 * layer is a `application/vnd.dev.sigstore.bundle*` blob, as `cosign sign --new-bundle-format` writes
 * them to registries without the referrers API) are verified with keyless-image.ts against each
 * authority's trusted root and identities (exact issuer and subject, as cosign's flags).
 */
import type { Bundle } from '@sigstore/bundle';
import { ApiError } from '../../api/errors.js';
import type { ClusterImagePolicy } from '../../api/schema/cluster-image-policy.js';
import { sha256 } from '../digest.js';
import { fetchManifest } from '../distribution/manifest.js';
import { repoScope, type RegistryClient } from '../distribution/registry.js';
import { loadBundle, loadTrustedRoot } from './keyless.js';
import { verifyKeylessImage, type ImageEvidence } from './keyless-image.js';

/** The media type prefix of a Sigstore bundle blob (v0.1 to v0.3). */
export const BUNDLE_MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle';
const MAX_BUNDLE = 4 << 20;
const MAX_REFERRERS = 32;

/** The OCI referrers tag schema's tag for digest ("sha256-<hex>"). */
export function referrersTag(digest: string): string { return digest.replace(':', '-'); }

/** A bundle found beside an image, named by the blob it came from. */
export interface FoundBundle { from: string; bundle: Bundle }

/** A keyless authority of a policy, ready to check: its name ("POLICY/AUTHORITY"). */
export interface KeylessAuthority { name: string; identities: { issuer: string; subject: string }[]; trustedRoot: string }

/** The policy's keyless authorities (none: []). */
export function keylessAuthorities(policy: ClusterImagePolicy): KeylessAuthority[] {
  return policy.spec.authorities.flatMap((a, i) => a.keyless
    ? [{ name: `${policy.metadata.name}/${a.name ?? `authority-${i}`}`, identities: a.keyless.identities, trustedRoot: a.keyless.trustedRoot.data }]
    : []);
}

const descriptors = (doc: Record<string, unknown>, field: 'manifests' | 'layers'): { digest: string; mediaType?: string; artifactType?: string; size?: number }[] => {
  const list = doc[field];
  if (!Array.isArray(list)) return [];
  return list.flatMap((d: unknown) => {
    const o = d as { digest?: unknown; mediaType?: unknown; artifactType?: unknown; size?: unknown } | null;
    if (!o || typeof o.digest !== 'string') return [];
    return [{ digest: o.digest, ...(typeof o.mediaType === 'string' ? { mediaType: o.mediaType } : {}), ...(typeof o.artifactType === 'string' ? { artifactType: o.artifactType } : {}), ...(typeof o.size === 'number' ? { size: o.size } : {}) }];
  });
};

/** The Sigstore bundles referring to repo@digest (none: []); a bundle that does not parse is an error naming its blob. */
export async function fetchBundles(client: RegistryClient, repo: string, digest: string): Promise<FoundBundle[]> {
  let index;
  try { index = await fetchManifest(client, repo, referrersTag(digest)); } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return [];
    throw e;
  }
  const out: FoundBundle[] = [];
  const referrers = descriptors(index.doc, 'manifests').filter((m) => !m.artifactType || m.artifactType.startsWith(BUNDLE_MEDIA_TYPE_PREFIX)).slice(0, MAX_REFERRERS);
  for (const ref of referrers) {
    const artifact = await fetchManifest(client, repo, ref.digest);
    for (const layer of descriptors(artifact.doc, 'layers').filter((l) => l.mediaType?.startsWith(BUNDLE_MEDIA_TYPE_PREFIX))) {
      if ((layer.size ?? 0) > MAX_BUNDLE) throw new ApiError('BadRequest', `Sigstore bundle ${layer.digest} in ${repo} is ${layer.size} bytes, more than ${MAX_BUNDLE}`);
      const res = await client.call(`/v2/${repo}/blobs/${layer.digest}`, { scopes: [repoScope(repo, 'pull')] }, `fetching Sigstore bundle ${layer.digest}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      if (sha256(bytes) !== layer.digest) throw new ApiError('BadRequest', `Sigstore bundle ${layer.digest} from registry ${client.host} hashes to ${sha256(bytes)}: the registry sent the wrong content`);
      out.push({ from: layer.digest, bundle: loadBundle(bytes.toString('utf8'), `Sigstore bundle ${layer.digest} referring to ${repo}@${digest}`) });
    }
  }
  return out;
}

/** Which keyless authority a bundle satisfies for the image, or why none does (naming each failure). */
export function checkKeyless(image: string, evidence: ImageEvidence, bundles: readonly FoundBundle[], authorities: readonly KeylessAuthority[]): { ok: true; by: string } | { ok: false; reason: string } {
  if (bundles.length === 0) return { ok: false, reason: `no Sigstore bundle found for ${image}@${evidence.digest} (looked for referrers under tag ${referrersTag(evidence.digest)})` };
  const failures: string[] = [];
  for (const a of authorities) {
    let trust;
    try { trust = loadTrustedRoot(a.trustedRoot, `trusted root of ${a.name}`); } catch (e) { failures.push((e as Error).message); continue; }
    for (const b of bundles) {
      for (const identity of a.identities) {
        try { verifyKeylessImage(image, b.bundle, trust, identity, evidence); return { ok: true, by: a.name }; } catch (e) {
          failures.push(`bundle ${b.from} against ${a.name} (${identity.subject} from ${identity.issuer}): ${(e as Error).message}`);
        }
      }
    }
  }
  return { ok: false, reason: `no Sigstore bundle of ${image}@${evidence.digest} verifies: ${failures.join('; ')}` };
}
