import { ApiError } from '../../api/errors.js';
import { MediaType, parseJson, asObject, type Descriptor } from '../formats.js';
import { formatReference, parseReference } from '../reference.js';
import type { ContentStore, ImageStore } from '../types.js';
import { imageManifest } from './manifest.js';
import { mapLimit } from './pool.js';
import { RegistryClient, repoScope } from './registry.js';
import type { TransferOptions, TransferProgress } from './types.js';
import { putChunked, putWhole, startUpload, type UploadTarget } from './upload.js';

/** What a push wrote: the tag and the digest of the manifest (the stored bytes, unchanged). */
export interface PushResult { name: string; tag: string; digest: string; size: number }

/**
 * Pushes the image named REF to its registry: each blob is checked with HEAD, mounted from another
 * repository of the same registry that holds the image, or uploaded (POST + monolithic PUT); then
 * the exact stored manifest bytes are PUT by tag, so the digest stays the same.
 */
export async function pushImage(store: ImageStore, ref: string, opts: TransferOptions = {}): Promise<PushResult> {
  const r = parseReference(ref);
  if (r.digest) throw new ApiError('BadRequest', `push a tag, not a digest: tag the image first (lcctl tag ${ref.split('@')[0]} NAME:TAG)`);
  const name = formatReference(r);
  const image = await store.resolve(name);
  if (!image) throw new ApiError('NotFound', `image "${ref}" not found on the node: pull or import it, or name an image with lcctl tag SOURCE ${ref}`);
  const repo = r.path;
  const tag = r.tag ?? 'latest';
  const bytes = await store.content.read(image.digest);
  const doc = asObject(parseJson(bytes, `manifest of ${name}`), `manifest of ${name}`);
  const { config, layers } = imageManifest(doc, `manifest of ${name}`);
  // Another name of this image on the same registry: its blobs can be mounted instead of uploaded.
  const from = image.names.map((n) => parseReference(n)).find((o) => o.domain === r.domain && o.path !== repo)?.path;
  const scopes = [repoScope(repo, 'pull,push'), ...(from ? [repoScope(from, 'pull')] : [])];
  const client = new RegistryClient(r.domain, { auth: opts.auth, insecureRegistries: opts.insecureRegistries, ca: opts.ca, scheme: opts.scheme, signal: opts.signal });
  const progress = opts.onProgress ?? ((): void => undefined);
  progress({ status: `The push refers to repository [${r.domain}/${repo}]` });
  // Establish authentication before any upload: a streamed body cannot be sent twice.
  await (await client.call(`/v2/${repo}/tags/list`, { scopes }, `checking access to ${r.domain}/${repo}`).catch(async (e: unknown) => {
    if (e instanceof ApiError && e.code === 'NotFound') return new Response(null);
    throw e;
  })).body?.cancel();
  await mapLimit([...layers, config], opts.concurrency ?? 3, async (blob) => {
    progress({ layer: blob.digest, status: 'Preparing', current: 0, total: blob.size });
    const status = await pushBlob(store.content, client, repo, blob, from, scopes, progress, opts.chunkSize);
    progress({ layer: blob.digest, status, current: blob.size, total: blob.size });
  });
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : MediaType.ociManifest;
  const res = await client.call(`/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes, scopes }, `pushing the manifest of ${name}`);
  await res.body?.cancel();
  const digest = res.headers.get('docker-content-digest') ?? image.digest;
  progress({ status: `${tag}: digest: ${digest} size: ${bytes.length}` });
  return { name, tag, digest, size: bytes.length };
}

async function pushBlob(content: ContentStore, client: RegistryClient, repo: string, blob: Descriptor, from: string | undefined, scopes: string[], progress: (p: TransferProgress) => void, chunkSize?: number): Promise<string> {
  const head = await client.fetch(`/v2/${repo}/blobs/${blob.digest}`, { method: 'HEAD', scopes });
  await head.body?.cancel();
  if (head.ok) return 'Layer already exists';
  const t: UploadTarget = { client, repo, scopes, content, blob, progress };
  const started = await startUpload(t, from);
  if (started.mounted) return `Mounted from ${from}`;
  const put = await putWhole(t, started.location);
  if (put.status === 413) {
    // Too large for one request (often a proxy's limit): start again and send it in chunks.
    await put.body?.cancel();
    const again = await startUpload(t);
    if (again.mounted) return 'Pushed';
    await putChunked(t, again.location, chunkSize);
    return 'Pushed';
  }
  if (!put.ok) throw await client.errorOf(put, `uploading blob ${blob.digest} to ${repo}`);
  await put.body?.cancel();
  return 'Pushed';
}
