/**
 * The registry side of signing: resolve an image's digest, read the signatures stored under its
 * `sha256-<hex>.sig` tag (each payload blob hash-checked), and append one as cosign does (same
 * repository, existing signatures kept, an identical one not added twice).
 */
import { ApiError } from '../../api/errors.js';
import { isDigest, sha256 } from '../digest.js';
import { fetchManifest } from '../distribution/manifest.js';
import { repoScope, type RegistryClient } from '../distribution/registry.js';
import { buildSignatureManifest, parseSignatureManifest, signatureTag, SIGNATURE_ANNOTATION, SIGNATURE_MANIFEST_MEDIA_TYPE, type SignatureLayer } from './artifact.js';

/** One signature read from the registry: the payload bytes (hash-checked) and its signature. */
export interface StoredSignature {
  payload: Buffer;
  layer: SignatureLayer;
}

const MAX_PAYLOAD = 1 << 20;

/** The manifest digest `reference` (tag or digest) names in repo. */
export async function resolveDigest(client: RegistryClient, repo: string, reference: string): Promise<string> {
  if (isDigest(reference)) return reference;
  return (await fetchManifest(client, repo, reference)).digest;
}

/** Every signature layer stored for digest (none: []); a payload that does not hash to its layer's digest is an error. */
export async function fetchSignatures(client: RegistryClient, repo: string, digest: string): Promise<StoredSignature[]> {
  const tag = signatureTag(digest);
  let layers: SignatureLayer[];
  try {
    layers = parseSignatureManifest((await fetchManifest(client, repo, tag)).doc, `signature manifest ${repo}:${tag}`);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return [];
    throw e;
  }
  const out: StoredSignature[] = [];
  for (const layer of layers) {
    if (layer.size > MAX_PAYLOAD) throw new ApiError('BadRequest', `signature payload ${layer.digest} in ${repo}:${tag} is ${layer.size} bytes, more than ${MAX_PAYLOAD}`);
    const res = await client.call(`/v2/${repo}/blobs/${layer.digest}`, { scopes: [repoScope(repo, 'pull')] }, `fetching signature payload ${layer.digest}`);
    const payload = Buffer.from(await res.arrayBuffer());
    if (sha256(payload) !== layer.digest) throw new ApiError('BadRequest', `signature payload ${layer.digest} from registry ${client.host} hashes to ${sha256(payload)}: the registry sent the wrong content`);
    out.push({ payload, layer });
  }
  return out;
}

async function putBlob(client: RegistryClient, repo: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const scopes = [repoScope(repo, 'pull,push')];
  const head = await client.fetch(`/v2/${repo}/blobs/${digest}`, { method: 'HEAD', scopes });
  await head.body?.cancel();
  if (head.status === 200) return digest;
  const what = `uploading signature blob ${digest} to ${repo}`;
  const start = await client.call(`/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: { 'content-length': '0' }, scopes }, what);
  await start.body?.cancel();
  const loc = start.headers.get('location');
  if (!loc) throw new ApiError('BadRequest', `${what}: registry ${client.host} gave no upload Location`);
  const url = new URL(loc, client.base);
  url.searchParams.set('digest', digest);
  const put = await client.call(url.toString(), { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) }, body: bytes, scopes }, what);
  await put.body?.cancel();
  return digest;
}

/**
 * Appends a signature to digest's `.sig` artifact in repo. As cosign's duplicate detection: when a
 * stored signature over the same payload is the same signer's (isSameSigner; ECDSA signatures differ
 * each time), nothing is added and added is false.
 */
export async function attachSignature(client: RegistryClient, repo: string, digest: string, payload: Buffer, signature: string, isSameSigner: (s: StoredSignature) => boolean = () => false): Promise<{ tag: string; added: boolean }> {
  const tag = signatureTag(digest);
  const existing = await fetchSignatures(client, repo, digest);
  const layer: SignatureLayer = { digest: sha256(payload), size: payload.length, signature, annotations: { [SIGNATURE_ANNOTATION]: signature } };
  if (existing.some((s) => s.layer.digest === layer.digest && (s.layer.signature === signature || isSameSigner(s)))) return { tag, added: false };
  await putBlob(client, repo, payload);
  const { manifest, config } = buildSignatureManifest([...existing.map((s) => s.layer), layer]);
  await putBlob(client, repo, config);
  const res = await client.call(`/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': SIGNATURE_MANIFEST_MEDIA_TYPE }, body: manifest, scopes: [repoScope(repo, 'pull,push')] }, `pushing signature manifest ${repo}:${tag}`);
  await res.body?.cancel();
  return { tag, added: true };
}
