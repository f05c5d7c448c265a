import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/** The subset of fetch the registry client uses. */
export type FetchLike = (url: string | URL, init: RequestInit) => Promise<Response>;

const nullBody = new Set([101, 204, 205, 304]);

/**
 * A fetch that trusts `ca` (PEM) for HTTPS: Node's built-in fetch cannot be given a CA without the
 * undici package, and the server's registry is served with the cluster's own CA (pinned at join).
 * Follows up to 5 redirects; the body may be a Buffer or an async iterable of chunks.
 */
export function fetchTrusting(ca: string): FetchLike {
  const agent = new https.Agent({ keepAlive: true, ca });
  const go = (url: URL, init: RequestInit, hops: number): Promise<Response> => new Promise((resolve, reject) => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, { method: init.method ?? 'GET', headers, ...(url.protocol === 'https:' ? { agent } : {}), signal: init.signal ?? undefined }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location && hops < 5 && (init.body === undefined || init.body === null)) {
        res.resume();
        resolve(go(new URL(location, url), init, hops + 1));
        return;
      }
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (Array.isArray(v)) for (const x of v) h.append(k, x);
        else if (v !== undefined) h.set(k, v);
      }
      const body = nullBody.has(status) || init.method === 'HEAD' ? null : Readable.toWeb(res) as ReadableStream<Uint8Array>;
      if (body === null) res.resume();
      resolve(new Response(body, { status, headers: h }));
    });
    req.on('error', (e) => reject(e.name === 'AbortError' ? e : Object.assign(new TypeError('fetch failed'), { cause: e })));
    const body = init.body as unknown;
    if (body === undefined || body === null) req.end();
    else if (Buffer.isBuffer(body) || typeof body === 'string' || body instanceof Uint8Array) req.end(body);
    else Readable.from(body as AsyncIterable<Uint8Array>).on('error', (e) => req.destroy(e)).pipe(req);
  });
  return (url, init) => go(new URL(url), init, 0);
}
