import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/** The subset of fetch the registry client uses. */
export type FetchLike = (url: string | URL, init: RequestInit) => Promise<Response>;

/** How HTTPS is checked: trust `ca` (PEM) instead of Node's bundled list, or (`verify: false`) nothing. */
export interface TlsTrust { ca?: string; verify?: boolean }

const nullBody = new Set([101, 204, 205, 304]);

/**
 * A fetch over `node:https` with its own trust: Node's built-in fetch cannot be given a CA, or told
 * not to verify, without the undici package. The server's registry is served with the cluster's own
 * CA (pinned at join); a registry that may be reached over plain HTTP (loopback, --insecure-registry)
 * is tried over HTTPS without verification first, as Docker does. Follows up to 5 redirects; the body
 * may be a Buffer or an async iterable of chunks.
 */
export function fetchWithTls(trust: TlsTrust): FetchLike {
  const agent = sharedAgent(trust);
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

/**
 * One keep-alive pool per trust, shared by every client (one is made per pull): a pool per client
 * left each pull's idle connections open until the server timed them out, so a node pulling in a
 * loop held ever more of them.
 */
const agents = new Map<string, https.Agent>();
function sharedAgent(trust: TlsTrust): https.Agent {
  const key = `${trust.verify === false ? 'insecure' : 'verify'}\0${trust.ca ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new https.Agent({ keepAlive: true, maxFreeSockets: 8, ...(trust.ca ? { ca: trust.ca } : {}), rejectUnauthorized: trust.verify !== false });
    agents.set(key, agent);
  }
  return agent;
}

/** A fetch that trusts `ca` (PEM) for HTTPS. */
export function fetchTrusting(ca: string): FetchLike {
  return fetchWithTls({ ca });
}
