import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { ApiObject, ObjectList, WatchEvent } from '../api/meta.js';
import { ApiError, isFailureStatus } from '../api/errors.js';
import type { ApiClient, DeleteOptions, ListOptions, WatchOptions, Watcher, WriteOptions } from './types.js';
import { resourcePath } from './paths.js';
import { maxRetries, retryDelayMs } from './retry-after.js';
import { parseJsonBounded } from '../api/bounded-parse.js';
import { responseWarnings } from './warnings.js';

/** Where the server is and how to prove who we are. */
export interface ClientConfig {
  server: string;
  token: string;
  /** PEM CA bundle to trust for https servers. */
  ca?: string;
  /** A client certificate and its key (PEM), presented over https: a user of `lcctl create user`. */
  cert?: string;
  key?: string;
  /** Called with the text of each `Warning: 299` header of every response (lcctl prints them as kubectl). */
  onWarning?: (text: string) => void;
}

/** A raw response, for callers that stream (logs) or read non-object bodies. */
export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: Readable }

/** The ApiClient over HTTP(S), with keep-alive connections. */
export class HttpClient implements ApiClient {
  private readonly base: URL;
  private readonly agent: http.Agent;
  constructor(readonly config: ClientConfig) {
    this.base = new URL(config.server);
    this.agent = this.base.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, ca: config.ca, cert: config.cert, key: config.key })
      : new http.Agent({ keepAlive: true });
  }

  /**
   * Send a request; resolves with the response stream once headers arrived. A 429 is retried after
   * its Retry-After (a few times, as client-go does) unless the body is a stream, which cannot be sent twice.
   */
  async raw(method: string, path: string, body?: string | Buffer | Readable, headers: Record<string, string> = {}): Promise<RawResponse> {
    const replayable = body === undefined || typeof body === 'string' || Buffer.isBuffer(body);
    for (let attempt = 1; ; attempt++) {
      const res = await this.send(method, path, body, headers);
      if (res.status !== 429 || !replayable || attempt > maxRetries) return res;
      res.body.resume();
      await new Promise((r) => setTimeout(r, retryDelayMs(res.headers, attempt)));
    }
  }

  private send(method: string, path: string, body?: string | Buffer | Readable, headers: Record<string, string> = {}): Promise<RawResponse> {
    const url = new URL(path, this.base);
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, {
        method,
        agent: this.agent,
        headers: { authorization: `Bearer ${this.config.token}`, accept: 'application/json', ...headers },
      }, (res) => {
        if (this.config.onWarning) for (const w of responseWarnings(res.headers)) this.config.onWarning(w);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      req.on('error', (e: NodeJS.ErrnoException) => reject(connectionError(this.config.server, e)));
      if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
      else body.pipe(req);
    });
  }

  /** Send a request and parse a JSON answer; error bodies become ApiError. */
  async json<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': contentType };
    const res = await this.raw(method, path, payload as string | Buffer | undefined, headers);
    const text = await readAll(res.body);
    return parseAnswer<T>(res.status, text);
  }

  create<T extends ApiObject>(resource: string, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.json('POST', resourcePath(resource, obj.metadata?.namespace) + (opts.dryRun ? '?dryRun=All' : ''), obj);
  }
  get<T extends ApiObject>(resource: string, name: string, namespace?: string): Promise<T> {
    return this.json('GET', resourcePath(resource, namespace, name));
  }
  list<T extends ApiObject>(resource: string, namespace?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    return this.json('GET', resourcePath(resource, namespace) + query({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector }));
  }
  update<T extends ApiObject>(resource: string, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.json('PUT', resourcePath(resource, obj.metadata.namespace, obj.metadata.name) + (opts.dryRun ? '?dryRun=All' : ''), obj);
  }
  updateStatus<T extends ApiObject>(resource: string, obj: T): Promise<T> {
    return this.json('PUT', resourcePath(resource, obj.metadata.namespace, obj.metadata.name, 'status'), obj);
  }
  delete<T extends ApiObject>(resource: string, name: string, namespace?: string, opts: DeleteOptions = {}): Promise<T> {
    return this.json('DELETE', resourcePath(resource, namespace, name) + query({ gracePeriodSeconds: opts.gracePeriodSeconds }));
  }
  async bind(namespace: string, podName: string, nodeName: string): Promise<void> {
    await this.json('POST', resourcePath('pods', namespace, podName, 'binding'), { target: { name: nodeName } });
  }

  watch<T extends ApiObject>(resource: string, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Watcher {
    let stopped = false;
    let body: Readable | undefined;
    const done = (async () => {
      const path = resourcePath(resource, namespace) + query({ watch: '1', resourceVersion: opts.resourceVersion, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
      const res = await this.raw('GET', path);
      body = res.body;
      if (res.status !== 200) parseAnswer(res.status, await readAll(res.body));
      if (stopped) { res.body.destroy(); return; }
      let buf = '';
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim() === '' || stopped) continue;
          const ev = parseJsonBounded(line, 'watch event') as WatchEvent<T>;
          if (ev.type === 'ERROR') throw ApiError.fromBody(ev.object as unknown as Parameters<typeof ApiError.fromBody>[0]);
          onEvent(ev);
        }
      }
      if (!stopped) throw new ApiError('Unavailable', 'watch stream closed by the server');
    })().catch((e: unknown) => { if (!stopped) throw e; });
    return { stop: () => { stopped = true; body?.destroy(); }, done };
  }
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parse a JSON response; a non-2xx status throws the server's ApiError. */
export function parseAnswer<T>(status: number, text: string): T {
  let parsed: unknown;
  try { parsed = text === '' ? {} : parseJsonBounded(text, 'answer'); } catch {
    throw new ApiError('Internal', `the server answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (status >= 200 && status < 300) return parsed as T;
  if (isFailureStatus(parsed)) throw ApiError.fromBody(parsed);
  throw new ApiError('Internal', `the server answered ${status}: ${text.slice(0, 200)}`);
}

function connectionError(server: string, e: NodeJS.ErrnoException): ApiError {
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') return new ApiError('Unavailable', `cannot connect to the Lantern server at ${server}: is lanternd running? (${e.code})`);
  return new ApiError('Unavailable', `request to ${server} failed: ${e.message}`);
}
