/**
 * The node's image verifier: before a container starts, every ClusterImagePolicy matching its image
 * must find a signature of the image's digest that one of its keys verifies, or a Sigstore bundle
 * that one of its keyless authorities verifies (keyless-policy.ts). The digest is the one
 * the node holds (what will run), or the image index listing it (cosign signs what the tag names,
 * often the index). Verdicts that pass are cached per repository, digest and policy version; refusals are not,
 * so signing the image (or fixing the policy) lets the next retry through.
 */
import { ApiError } from '../../api/errors.js';
import type { ClusterImagePolicy } from '../../api/schema/cluster-image-policy.js';
import { fetchManifest, isIndex } from '../distribution/manifest.js';
import type { RegistryClient } from '../distribution/registry.js';
import { parseReference } from '../reference.js';
import { policiesFor, policyKeys } from './policy.js';
import { fetchImageEvidence } from './keyless-image.js';
import { checkKeyless, fetchBundles, keylessAuthorities } from './keyless-policy.js';
import { fetchSignatures, type StoredSignature } from './remote.js';
import { refusalReason, verifySignatures } from './verify.js';

/** "registry/path" of an image reference (the name as written when it does not parse). */
function repositoryOf(image: string): string {
  try { const r = parseReference(image); return `${r.domain}/${r.path}`; } catch { return image; }
}

/** How the verifier reaches the registry an image came from. */
export type VerifierAccess = (image: string) => RegistryClient;

/** What the policies say about one image. */
export interface Verdict {
  allowed: boolean;
  /** Why it is refused (enforce mode), naming the policy. */
  reason?: string;
  /** Failures of warn-mode policies: logged and recorded, the container still runs. */
  warnings: string[];
  /** "POLICY/AUTHORITY" of each key that verified. */
  verifiedBy: string[];
}

/** Verifies images against ClusterImagePolicies, caching what passed. */
export class ImageVerifier {
  private readonly passed = new Map<string, { by: string; until: number }>();

  constructor(private readonly clientFor: VerifierAccess, private readonly now: () => number = Date.now, private readonly ttlMs = 10 * 60_000) {}

  /** The verdict for image (as the pod names it) whose manifest on the node is localDigest. */
  async check(image: string, localDigest: string, policies: readonly ClusterImagePolicy[]): Promise<Verdict> {
    const verdict: Verdict = { allowed: true, warnings: [], verifiedBy: [] };
    for (const policy of policiesFor(policies, image)) {
      // Per repository too: signatures live beside the image, so the same digest elsewhere is another question.
      const key = `${repositoryOf(image)}@${localDigest}|${policy.metadata.name}|${policy.metadata.resourceVersion ?? ''}`;
      const hit = this.passed.get(key);
      if (hit && hit.until > this.now()) { verdict.verifiedBy.push(hit.by); continue; }
      const outcome = await this.checkPolicy(image, localDigest, policy);
      if (outcome.ok) {
        this.passed.set(key, { by: outcome.by, until: this.now() + this.ttlMs });
        verdict.verifiedBy.push(outcome.by);
      } else if (policy.spec.mode === 'warn') {
        verdict.warnings.push(`ClusterImagePolicy "${policy.metadata.name}" (warn): ${outcome.reason}`);
      } else {
        return { ...verdict, allowed: false, reason: `${outcome.reason} (ClusterImagePolicy "${policy.metadata.name}")` };
      }
    }
    return verdict;
  }

  /** Forgets every cached pass (a policy changed). */
  clear(): void { this.passed.clear(); }

  private async checkPolicy(image: string, localDigest: string, policy: ClusterImagePolicy): Promise<{ ok: true; by: string } | { ok: false; reason: string }> {
    let keys;
    try { keys = policyKeys(policy); } catch (e) { return { ok: false, reason: (e as Error).message }; }
    const keysOf = `the keys of policy "${policy.metadata.name}"`;
    let ref;
    try { ref = parseReference(image); } catch (e) { return { ok: false, reason: (e as Error).message }; }
    const name = `${ref.domain}/${ref.path}`;
    try {
      const client = this.clientFor(image);
      let digest = localDigest;
      let sigs: StoredSignature[] = await fetchSignatures(client, ref.path, digest);
      if (sigs.length === 0 && !ref.digest && ref.tag) {
        // cosign signs what the tag names: for a multi-platform image, the index that lists our manifest.
        const named = await fetchManifest(client, ref.path, ref.tag);
        const listed = isIndex(named) && Array.isArray(named.doc.manifests) && named.doc.manifests.some((m) => (m as { digest?: unknown }).digest === localDigest);
        if (listed) { digest = named.digest; sigs = await fetchSignatures(client, ref.path, digest); }
      }
      const result = verifySignatures(digest, sigs, keys);
      const first = result.verified[0];
      if (first) return { ok: true, by: first.key };
      const keyReason = keys.length > 0 ? refusalReason(name, digest, sigs, result, keysOf) : undefined;
      const keyless = keylessAuthorities(policy);
      if (keyless.length === 0) return { ok: false, reason: keyReason ?? `policy "${policy.metadata.name}" has no authorities` };
      const evidence = await fetchImageEvidence(client, ref.path, localDigest);
      const outcome = checkKeyless(name, evidence, await fetchBundles(client, ref.path, localDigest), keyless);
      return outcome.ok ? outcome : { ok: false, reason: keyReason ? `${keyReason}; ${outcome.reason}` : outcome.reason };
    } catch (e) {
      const why = e instanceof ApiError || e instanceof Error ? e.message : String(e);
      return { ok: false, reason: `cannot read the signatures of ${name}@${localDigest}: ${why}` };
    }
  }
}
