import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebStream } from 'node:stream/web';
import { ApiError } from '../../api/errors.js';
import type { Descriptor } from '../formats.js';
import type { ContentStore } from '../types.js';
import { repoScope, type RegistryClient } from './registry.js';
import type { TransferProgress } from './types.js';

/** Downloads of the same blob share one promise: two pulls must not append to one partial file. */
const inFlight = new Map<string, Promise<'exists' | 'downloaded'>>();

/**
 * Fetches one blob into the store. A blob already stored is never fetched again; a partial download
 * left by an interrupted pull (store ingest area) is continued with a Range request; the finished
 * file is verified by the store (a mismatch deletes it and fails the pull).
 */
export function downloadBlob(store: ContentStore, client: RegistryClient, repo: string, desc: Descriptor, onProgress: (p: TransferProgress) => void): Promise<'exists' | 'downloaded'> {
  const key = store.ingestPath(desc.digest);
  let p = inFlight.get(key);
  if (!p) {
    p = fetchBlob(store, client, repo, desc, onProgress).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  return p;
}

async function fetchBlob(store: ContentStore, client: RegistryClient, repo: string, desc: Descriptor, onProgress: (p: TransferProgress) => void): Promise<'exists' | 'downloaded'> {
  const layer = desc.digest;
  if (await store.info(layer)) return 'exists';
  const part = store.ingestPath(layer);
  let offset = await stat(part).then((s) => s.size, () => 0);
  if (offset > desc.size) { await rm(part, { force: true }); offset = 0; }
  if (offset < desc.size) {
    const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
    const what = `downloading blob ${layer} of ${repo}`;
    let res = await client.fetch(`/v2/${repo}/blobs/${layer}`, { headers, scopes: [repoScope(repo, 'pull')] });
    if (res.status === 416) { await res.body?.cancel(); await rm(part, { force: true }); offset = 0; res = await client.fetch(`/v2/${repo}/blobs/${layer}`, { scopes: [repoScope(repo, 'pull')] }); }
    if (res.status === 206 && !rangeStartsAt(res.headers.get('content-range'), offset)) { await res.body?.cancel(); throw new ApiError('Unavailable', `${what}: the registry answered a different range than asked (${res.headers.get('content-range')}); pull again`); }
    if (res.status !== 206) {
      if (res.status !== 200) throw await client.errorOf(res, what);
      offset = 0; // the registry ignored the Range header: start over
    }
    if (!res.body) throw new ApiError('Unavailable', `${what}: the registry sent no body`);
    let done = offset;
    let last = 0;
    onProgress({ layer, status: 'Downloading', current: done, total: desc.size });
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        done += chunk.length;
        if (done > desc.size) { cb(new Error(`the registry sent more than the ${desc.size} bytes the manifest promised`)); return; }
        const now = Date.now();
        if (now - last >= 100) { last = now; onProgress({ layer, status: 'Downloading', current: done, total: desc.size }); }
        cb(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body as WebStream<Uint8Array>), counter, createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' }));
    } catch (e) {
      throw new ApiError('Unavailable', `${what} stopped at ${done} of ${desc.size} bytes (${(e as Error).message}); pull again to resume from there`);
    }
    onProgress({ layer, status: 'Downloading', current: done, total: desc.size });
  }
  onProgress({ layer, status: 'Verifying Checksum', current: desc.size, total: desc.size });
  await store.commitFile(part, { digest: layer, size: desc.size }, `blob ${layer} of ${repo}`);
  return 'downloaded';
}

/** "bytes 100-999/1000" starts at 100. */
function rangeStartsAt(header: string | null, offset: number): boolean {
  const m = /^bytes (\d+)-/.exec(header ?? '');
  return m !== null && Number(m[1]) === offset;
}
