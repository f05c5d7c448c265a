import { ApiError } from '../../api/errors.js';
import type { Descriptor } from '../formats.js';
import type { ContentStore } from '../types.js';
import type { RegistryClient } from './registry.js';
import type { TransferProgress } from './types.js';

/** Where an upload goes and how it reports. */
export interface UploadTarget {
  client: RegistryClient;
  repo: string;
  scopes: string[];
  content: ContentStore;
  blob: Descriptor;
  progress: (p: TransferProgress) => void;
}

/** Chunk size of a chunked upload (a registry that refused the whole blob at once). */
export const chunkBytes = 8 << 20;

/** POST /v2/R/blobs/uploads/ (optionally a cross-repo mount): 201 mounted, else the upload's URL. */
export async function startUpload(t: UploadTarget, from?: string): Promise<{ mounted: true } | { mounted: false; location: URL }> {
  const what = `uploading blob ${t.blob.digest} to ${t.repo}`;
  const query = from ? `?mount=${t.blob.digest}&from=${encodeURIComponent(from)}` : '';
  const res = await t.client.call(`/v2/${t.repo}/blobs/uploads/${query}`, { method: 'POST', headers: { 'content-length': '0' }, scopes: t.scopes }, what);
  await res.body?.cancel();
  if (res.status === 201) return { mounted: true };
  return { mounted: false, location: locationOf(t, res, what) };
}

/** One PUT ?digest= with the whole blob; the response is returned so a 413 can fall back to chunks. */
export async function putWhole(t: UploadTarget, location: URL): Promise<Response> {
  const url = new URL(location);
  url.searchParams.set('digest', t.blob.digest);
  return t.client.fetch(url.toString(), { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': String(t.blob.size) }, body: counted(t, 0, undefined), scopes: t.scopes });
}

/** PATCH the blob in chunks (Content-Range start-end), following each Location, then PUT ?digest= to close it. */
export async function putChunked(t: UploadTarget, location: URL, size = chunkBytes): Promise<void> {
  const what = `uploading blob ${t.blob.digest} to ${t.repo} in chunks`;
  let url = location;
  for (let start = 0; start < t.blob.size; start += size) {
    const end = Math.min(t.blob.size, start + size) - 1;
    const res = await t.client.call(url.toString(), {
      method: 'PATCH',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(end - start + 1), 'content-range': `${start}-${end}` },
      body: counted(t, start, end), scopes: t.scopes,
    }, what);
    await res.body?.cancel();
    url = locationOf(t, res, what);
  }
  url.searchParams.set('digest', t.blob.digest);
  const done = await t.client.call(url.toString(), { method: 'PUT', headers: { 'content-length': '0' }, body: Buffer.alloc(0), scopes: t.scopes }, what);
  await done.body?.cancel();
}

function locationOf(t: UploadTarget, res: Response, what: string): URL {
  const location = res.headers.get('location');
  if (!location) throw new ApiError('BadRequest', `${what}: registry ${t.client.host} answered without a Location header`);
  return new URL(location, t.client.base);
}

/** The blob's bytes [start, end] from the content store, with "Pushing" progress at most ten times a second. */
async function* counted(t: UploadTarget, start: number, end: number | undefined): AsyncIterable<Uint8Array> {
  let done = start;
  let last = 0;
  for await (const chunk of t.content.reader(t.blob.digest, { start, end }) as AsyncIterable<Buffer>) {
    done += chunk.length;
    const now = Date.now();
    if (now - last >= 100) { last = now; t.progress({ layer: t.blob.digest, status: 'Pushing', current: done, total: t.blob.size }); }
    yield chunk;
  }
}
