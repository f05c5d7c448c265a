import { ApiError } from '../../api/errors.js';
import type { RegistryAuth } from '../../api/registry-auth.js';
import type { Descriptor } from '../formats.js';
import { platformMatches, platformString, type Platform } from '../platform.js';
import { formatReference, parseReference } from '../reference.js';
import type { ContentStore, ImageRecord, ImageStore, PulledImage } from '../types.js';
import { downloadBlob } from './download.js';
import { fetchManifest, imageManifest, isIndex, parsePlatform, pullPlatform, selectPlatform } from './manifest.js';
import { downloadAndPrepare } from './pipeline.js';
import { RegistryClient, repoScope } from './registry.js';
import type { TransferOptions } from './types.js';
import { parseJsonBounded } from '../../api/bounded-parse.js';

/** Options of a pull. */
export interface PullOptions extends TransferOptions {
  /** "linux/arm64"; default this node's platform. */
  platform?: string;
  /**
   * Fetch from another place than REF names (the server's built-in registry) while still naming the
   * image REF in the store: its reference ("10.0.0.1:6443/library/busybox:latest"), credentials,
   * CA and scheme.
   */
  source?: { reference: string; auth?: RegistryAuth; ca?: string; scheme?: 'http' | 'https' };
}

/**
 * Pulls REF into the store: manifest (an index resolves to the platform), config, then the layers in
 * parallel (resuming partial downloads, skipping stored blobs), each verified and unpacked as soon as
 * its download ends while the others still download, and finally the image is named REF.
 */
export async function pullImage(store: ImageStore, ref: string, opts: PullOptions = {}): Promise<ImageRecord> {
  const r = parseReference(ref);
  const src = opts.source ? parseReference(opts.source.reference) : r;
  const repo = src.path;
  const want: Platform = opts.platform ? parsePlatform(opts.platform) : pullPlatform();
  const client = new RegistryClient(src.domain, opts.source
    ? { auth: opts.source.auth, ca: opts.source.ca, scheme: opts.source.scheme, signal: opts.signal }
    : { auth: opts.auth, insecureRegistries: opts.insecureRegistries, ca: opts.ca, scheme: opts.scheme, signal: opts.signal });
  const progress = opts.onProgress ?? ((): void => undefined);
  const pinned: string[] = [];
  const { content } = store;
  const pin = (d: string): void => { pinned.push(d); content.pin(d); };
  const name = formatReference(r);
  try {
    progress({ status: `Pulling from ${repo}${src.tag ? ` (${src.tag})` : ''}` });
    let manifest = await fetchManifest(client, repo, src.digest ?? src.tag ?? 'latest');
    if (isIndex(manifest)) {
      const chosen = selectPlatform(manifest.doc, want, `image index of ${name}`);
      manifest = await fetchManifest(client, repo, chosen.digest);
      if (isIndex(manifest)) throw new ApiError('BadRequest', `image index of ${name} points to another index (${chosen.digest}); nested indexes are not supported`);
    }
    const image = imageManifest(manifest.doc, `manifest of ${name}`);
    pin(manifest.digest);
    await content.commitBytes(manifest.bytes, { digest: manifest.digest }, `manifest of ${name}`);
    await fetchConfig(content, client, repo, image.config, pin, name);
    if (opts.platform) await checkPlatform(content, image.config.digest, want, name);
    const pulled: PulledImage & { layers: Descriptor[] } = { names: r.tag && !r.digest ? [name] : [], manifestDigest: manifest.digest, configDigest: image.config.digest, layers: image.layers };
    const diffIds = await store.snapshots.diffIds(pulled);
    for (const [i, l] of image.layers.entries()) {
      pin(l.digest);
      pin(diffIds[i] as string);
      progress({ layer: l.digest, status: 'Waiting', current: 0, total: l.size });
    }
    const fetchLayer = (l: Descriptor): Promise<'exists' | 'downloaded'> => downloadBlob(content, client, repo, l, progress);
    await downloadAndPrepare(store.snapshots, pulled, fetchLayer, progress, opts.concurrency ?? 3);
    const record = await store.index.add(pulled);
    progress({ status: `Digest: ${manifest.digest}` });
    return record;
  } finally {
    for (const d of pinned) content.unpin(d);
  }
}

async function fetchConfig(content: ContentStore, client: RegistryClient, repo: string, desc: Descriptor, pin: (d: string) => void, name: string): Promise<void> {
  pin(desc.digest);
  if (await content.info(desc.digest)) return;
  const what = `fetching config ${desc.digest} of ${name}`;
  const res = await client.call(`/v2/${repo}/blobs/${desc.digest}`, { scopes: [repoScope(repo, 'pull')] }, what);
  await content.commitBytes(Buffer.from(await res.arrayBuffer()), { digest: desc.digest, size: desc.size }, `config of ${name}`);
}

/** With an explicit --platform, a single-platform image for another one is an error, not a surprise. */
async function checkPlatform(content: ContentStore, configDigest: string, want: Platform, name: string): Promise<void> {
  let cfg: { os?: unknown; architecture?: unknown; variant?: unknown };
  try { cfg = parseJsonBounded((await content.read(configDigest)).toString('utf8'), 'image config') as typeof cfg; } catch { return; }
  const got: Platform = { os: String(cfg.os ?? ''), architecture: String(cfg.architecture ?? '') };
  if (typeof cfg.variant === 'string') got.variant = cfg.variant;
  if (got.os && got.architecture && !platformMatches(got, want)) {
    throw new ApiError('NotFound', `${name} is a single-platform image for ${platformString(got)}, not ${platformString(want)}`);
  }
}
