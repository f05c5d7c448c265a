// Test-only: a tiny in-memory distribution registry with switches for auth, cut connections and corruption.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request as the registry saw it. */
export interface SeenRequest { method: string; path: string; range?: string; authorization?: string }

/** Behaviour switches a test sets. */
export interface FakeRegistryOptions {
  /** "basic": 401 Basic until user:pass; "bearer": 401 Bearer pointing at /token, which wants user:pass. */
  auth?: 'basic' | 'bearer';
  user?: string;
  pass?: string;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string };
}

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The registry; `url` is "localhost:PORT" (a loopback host, so plain HTTP is allowed). */
export class FakeRegistry {
  readonly blobs = new Map<string, Buffer>();
  readonly manifests = new Map<string, { bytes: Buffer; type: string }>();
  readonly seen: SeenRequest[] = [];
  /** Blob digest -> bytes after which the next GET of it drops the connection (once). */
  readonly cutAfter = new Map<string, number>();
  /** Blob digest -> bytes served instead (corruption). */
  readonly corrupt = new Map<string, Buffer>();
  /** Monolithic uploads larger than this get 413 (chunked PATCH uploads are accepted). */
  maxMonolithic = Infinity;
  /** Content-Range of each PATCH received. */
  readonly patches: string[] = [];
  /** Whether Range requests are honoured. */
  ranges = true;
  private server: Server | undefined;
  private readonly uploads = new Map<string, Buffer[]>();
  private nextUpload = 0;
  host = '';

  constructor(private readonly opts: FakeRegistryOptions = {}) {}

  /** Blobs pushed or mounted into one repository ("repo@digest"); blobs added by a test are in every repository. */
  private readonly links = new Set<string>();
  private readonly everywhere = new Set<string>();

  /** Stores a blob visible in every repository; returns its digest. */
  addBlob(bytes: Buffer): string { const d = sha(bytes); this.blobs.set(d, bytes); this.everywhere.add(d); return d; }

  /** Stores a manifest under a tag and its digest; returns the digest. */
  addManifest(repo: string, tag: string, bytes: Buffer, type: string): string {
    const d = sha(bytes);
    this.manifests.set(`${repo}:${tag}`, { bytes, type });
    this.manifests.set(`${repo}:${d}`, { bytes, type });
    return d;
  }

  async start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => { void this.handle(req, res).catch(() => res.destroy()); };
    this.server = this.opts.tls ? createTlsServer(this.opts.tls, handler) : createServer(handler);
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.host = `localhost:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  private authorized(req: IncomingMessage): boolean {
    const a = req.headers.authorization ?? '';
    const basic = `Basic ${Buffer.from(`${this.opts.user}:${this.opts.pass}`).toString('base64')}`;
    if (this.opts.auth === 'basic') return a === basic;
    if (this.opts.auth === 'bearer') return a === 'Bearer good-token';
    return true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    this.seen.push({ method: req.method ?? '', path: url.pathname + url.search, range: req.headers.range, authorization: req.headers.authorization });
    if (url.pathname === '/token') {
      const ok = req.headers.authorization === `Basic ${Buffer.from(`${this.opts.user}:${this.opts.pass}`).toString('base64')}`;
      return send(res, ok ? 200 : 401, ok ? { access_token: 'good-token' } : { details: 'bad credentials' });
    }
    if (!this.authorized(req)) {
      res.setHeader('www-authenticate', this.opts.auth === 'basic' ? 'Basic realm="fake"'
        : `Bearer realm="http://${this.host}/token",service="fake",scope="repository:${url.pathname.split('/').slice(2, -2).join('/')}:pull"`);
      return send(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
    }
    if (url.pathname === '/v2/') return send(res, 200, {});
    const m = /^\/v2\/(.+)\/(manifests|blobs|tags)\/(.*)$/.exec(url.pathname);
    if (!m) return send(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no route' }] });
    const [, repo, kind, rest] = m as unknown as [string, string, string, string];
    if (kind === 'tags') return send(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] });
    if (kind === 'manifests') {
      if (req.method === 'PUT') {
        const d = this.addManifest(repo, rest, body, req.headers['content-type'] ?? '');
        res.writeHead(201, { 'docker-content-digest': d }); res.end(); return;
      }
      const found = this.manifests.get(`${repo}:${rest}`);
      if (!found) return send(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
      res.writeHead(200, { 'content-type': found.type, 'docker-content-digest': sha(found.bytes) });
      res.end(req.method === 'HEAD' ? undefined : found.bytes); return;
    }
    if (rest.startsWith('uploads/')) return this.upload(req, res, url, repo, rest.slice('uploads/'.length), body);
    const blob = this.everywhere.has(rest) || this.links.has(`${repo}@${rest}`) ? this.blobs.get(rest) : undefined;
    if (!blob) return send(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] });
    if (req.method === 'HEAD') { res.writeHead(200, { 'content-length': blob.length }); res.end(); return; }
    const served = this.corrupt.get(rest) ?? blob;
    const rm = this.ranges ? /^bytes=(\d+)-$/.exec(req.headers.range ?? '') : null;
    const start = rm ? Number(rm[1]) : 0;
    const part = served.subarray(start);
    res.writeHead(rm ? 206 : 200, { 'content-length': part.length, ...(rm ? { 'content-range': `bytes ${start}-${served.length - 1}/${served.length}` } : {}) });
    const cut = this.cutAfter.get(rest);
    if (cut !== undefined) {
      this.cutAfter.delete(rest);
      res.write(part.subarray(0, cut));
      setTimeout(() => res.destroy(), 50);
      return;
    }
    res.end(part);
  }

  private upload(req: IncomingMessage, res: ServerResponse, url: URL, repo: string, id: string, body: Buffer): void {
    if (req.method === 'POST') {
      const mount = url.searchParams.get('mount');
      if (mount && this.blobs.has(mount)) { this.links.add(`${repo}@${mount}`); res.writeHead(201, { location: `/v2/${repo}/blobs/${mount}` }); res.end(); return; }
      const uid = String(this.nextUpload++);
      this.uploads.set(uid, []);
      res.writeHead(202, { location: `/v2/${repo}/blobs/uploads/${uid}?state=x` }); res.end(); return;
    }
    const parts = this.uploads.get(id);
    if (!parts) return send(res, 404, { errors: [{ code: 'BLOB_UPLOAD_UNKNOWN', message: 'upload unknown' }] });
    if (req.method === 'PATCH') {
      const have = parts.reduce((n, b) => n + b.length, 0);
      const range = req.headers['content-range'] ?? '';
      if (!range.startsWith(`${have}-`)) return send(res, 416, { errors: [{ code: 'BLOB_UPLOAD_INVALID', message: `expected a chunk at ${have}` }] });
      this.patches.push(range);
      parts.push(body);
      res.writeHead(202, { location: `/v2/${repo}/blobs/uploads/${id}?state=${have + body.length}`, range: `0-${have + body.length - 1}` }); res.end(); return;
    }
    if (body.length > this.maxMonolithic) { this.uploads.delete(id); return send(res, 413, { errors: [{ code: 'SIZE_INVALID', message: 'too large' }] }); }
    parts.push(body);
    const digest = url.searchParams.get('digest') ?? '';
    const all = Buffer.concat(parts);
    if (sha(all) !== digest) return send(res, 400, { errors: [{ code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' }] });
    this.blobs.set(digest, all);
    this.links.add(`${repo}@${digest}`);
    res.writeHead(201, { location: `/v2/${repo}/blobs/${digest}` }); res.end();
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
