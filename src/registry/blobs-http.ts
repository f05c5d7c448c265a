import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from './errors.js';
import { parseDigest } from './names.js';
import { baseHeaders, sendEmpty } from './respond.js';
import type { RegistryStorage } from './storage.js';
import { parseContentRange, rangeHeader, type Uploads } from './uploads.js';

/** What the blob handlers work on. */
export interface BlobContext { storage: RegistryStorage; uploads: Uploads }

const blobUnknown = (name: string, digest: string): RegistryError =>
  new RegistryError('BLOB_UNKNOWN', `blob ${digest} is not in repository "${name}"`, { digest });

/** HEAD/GET (with a single `Range: bytes=a-b`) and DELETE of /v2/NAME/blobs/DIGEST. */
export async function serveBlob(ctx: BlobContext, req: IncomingMessage, res: ServerResponse, name: string, digestText: string): Promise<void> {
  const digest = parseDigest(digestText);
  if (req.method === 'DELETE') {
    if (!(await ctx.storage.unlinkBlob(name, digest))) throw blobUnknown(name, digest.text);
    sendEmpty(res, 202, { 'docker-content-digest': digest.text });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new RegistryError('UNSUPPORTED', `${req.method} is not supported on a blob: use GET, HEAD or DELETE`);
  const size = await ctx.storage.blobSize(name, digest);
  if (size === undefined) throw blobUnknown(name, digest.text);
  const headers = { ...baseHeaders, 'docker-content-digest': digest.text, 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', etag: `"${digest.text}"` };
  let start = 0;
  let end = size - 1;
  let status = 200;
  const range = req.headers.range;
  if (range !== undefined && req.method === 'GET') {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (m && (m[1] !== '' || m[2] !== '')) {
      if (m[1] === '') { start = Math.max(0, size - Number(m[2])); } else { start = Number(m[1]); if (m[2] !== '') end = Math.min(end, Number(m[2])); }
      if (start > end || start >= size) {
        throw new RegistryError('BLOB_UNKNOWN', `range ${range} is outside the blob (${size} bytes)`, null, 416, { 'content-range': `bytes */${size}` });
      }
      status = 206;
    }
  }
  res.writeHead(status, { ...headers, 'content-length': size === 0 ? 0 : end - start + 1, ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}) });
  if (req.method === 'HEAD' || size === 0) { res.end(); return; }
  await pipeline(createReadStream(ctx.storage.blobPath(digest), { start, end }), res);
}

const uploadHeaders = (name: string, id: string, size: number): Record<string, string> => ({
  location: `/v2/${name}/blobs/uploads/${id}`, range: rangeHeader(size), 'docker-upload-uuid': id,
});

const created = (res: ServerResponse, name: string, digest: string): void =>
  sendEmpty(res, 201, { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest });

/** POST /v2/NAME/blobs/uploads/: start a session, mount (?mount&from) or upload in one go (?digest). */
export async function startUpload(ctx: BlobContext, req: IncomingMessage, res: ServerResponse, name: string, params: URLSearchParams): Promise<void> {
  if (req.method !== 'POST') throw new RegistryError('UNSUPPORTED', `${req.method} is not supported here: POST starts an upload`);
  const mount = params.get('mount');
  const from = params.get('from');
  if (mount !== null && from !== null) {
    const d = parseDigest(mount);
    if (/^[a-z0-9._/-]+$/.test(from) && !from.split('/').includes('..') && (await ctx.storage.blobSize(from, d)) !== undefined) {
      await ctx.storage.linkBlob(name, d);
      created(res, name, d.text);
      return;
    }
    // Not mountable: fall through and start an ordinary upload (202), as the spec asks.
  }
  const digestText = params.get('digest');
  const d = digestText !== null && mount === null ? parseDigest(digestText) : undefined;
  const id = await ctx.uploads.create(name);
  if (d) {
    try {
      await ctx.uploads.write(name, id, req as AsyncIterable<Buffer>);
      await ctx.uploads.complete(name, id, d);
    } catch (e) {
      await ctx.uploads.cancel(name, id).catch(() => undefined);
      throw e;
    }
    created(res, name, d.text);
    return;
  }
  sendEmpty(res, 202, uploadHeaders(name, id, 0));
}

/** GET (state), PATCH (a chunk), PUT (?digest: finish) and DELETE (cancel) of an upload session. */
export async function serveUpload(ctx: BlobContext, req: IncomingMessage, res: ServerResponse, name: string, id: string, params: URLSearchParams): Promise<void> {
  const contentRange = req.headers['content-range'];
  const range = contentRange === undefined ? undefined : parseContentRange(contentRange);
  switch (req.method) {
    case 'GET': case 'HEAD':
      sendEmpty(res, 204, uploadHeaders(name, id, await ctx.uploads.offset(name, id)));
      return;
    case 'PATCH':
      sendEmpty(res, 202, uploadHeaders(name, id, await ctx.uploads.write(name, id, req as AsyncIterable<Buffer>, range)));
      return;
    case 'PUT': {
      const digestText = params.get('digest');
      if (digestText === null) throw new RegistryError('DIGEST_INVALID', 'PUT finishing an upload needs ?digest=sha256:<hex> of the whole blob');
      const d = parseDigest(digestText);
      await ctx.uploads.write(name, id, req as AsyncIterable<Buffer>, range);
      await ctx.uploads.complete(name, id, d);
      created(res, name, d.text);
      return;
    }
    case 'DELETE':
      await ctx.uploads.cancel(name, id);
      sendEmpty(res, 204);
      return;
    default:
      throw new RegistryError('UNSUPPORTED', `${req.method} is not supported on an upload: use GET, PATCH, PUT or DELETE`);
  }
}
