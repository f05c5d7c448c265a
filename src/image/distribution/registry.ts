import { ApiError, type ErrorCode } from '../../api/errors.js';
import { fetchWithTls, type FetchLike } from './ca-fetch.js';
import { parseChallenges, plainHttpAllowed, registryHost, type AuthChallenge, type RegistryAuth } from '../../api/registry-auth.js';
import { parseJsonBounded } from '../../api/bounded-parse.js';

/** How one request is made; `scopes` are the token scopes it needs ("repository:a/b:pull"). */
export interface RegistryRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | AsyncIterable<Uint8Array>;
  scopes: string[];
}

/** Settings of a registry client. */
export interface RegistryClientOptions {
  auth?: RegistryAuth;
  insecureRegistries?: readonly string[];
  signal?: AbortSignal;
  /** PEM CA to trust for HTTPS (the cluster CA for the server's registry) instead of Node's bundled list. */
  ca?: string;
  /**
   * Force a scheme (the server's registry, whose scheme the node knows). Default: HTTPS, and for
   * loopback and insecure registries plain HTTP when HTTPS cannot connect, as Docker does.
   */
  scheme?: 'http' | 'https';
}

/** Scope for a repository ("repository:library/busybox:pull,push"). */
export function repoScope(path: string, actions: string): string {
  return `repository:${path}:${actions}`;
}

/**
 * Talks to one registry over HTTPS. A registry that may be plain HTTP (loopback, --insecure-registry)
 * is tried over HTTPS first, its certificate unchecked unless a CA is given (Docker's rule for
 * insecure registries), and over plain HTTP when that first HTTPS request cannot connect; the scheme
 * that answered is kept for the client's life. On a 401 it
 * answers the challenge once: Basic with the caller's credentials, or Bearer by fetching a token from
 * the realm (with Basic credentials when it has them) for the scopes the request needs.
 */
export class RegistryClient {
  readonly host: string;
  private scheme: 'http' | 'https';
  /** Whether plain HTTP may still be tried: until the first request over HTTPS connects. */
  private mayFallBack: boolean;
  private basic = false;
  private readonly tokens = new Map<string, string>();
  private readonly fetchFn: FetchLike;

  constructor(domain: string, private readonly opts: RegistryClientOptions = {}) {
    this.host = registryHost(domain);
    this.scheme = opts.scheme ?? 'https';
    this.mayFallBack = opts.scheme === undefined && plainHttpAllowed(this.host, opts.insecureRegistries);
    this.fetchFn = opts.ca ? fetchWithTls({ ca: opts.ca }) : this.mayFallBack ? fetchWithTls({ verify: false }) : fetch;
  }

  /** "https://registry-1.docker.io"; "http://..." once a loopback or insecure registry fell back to plain HTTP. */
  get base(): string { return `${this.scheme}://${this.host}`; }

  /** A request whose failure statuses are the caller's to handle (HEAD, Range, uploads). */
  async fetch(path: string, req: RegistryRequest): Promise<Response> {
    // Read base at each send: the first one may have fallen back to plain HTTP.
    const url = (): string => (/^https?:\/\//.test(path) ? path : `${this.base}${path}`);
    const key = req.scopes.join(' ');
    let res = await this.send(url(), req, this.authHeader(key));
    if (res.status !== 401) return res;
    const header = res.headers.get('www-authenticate') ?? '';
    await res.body?.cancel();
    if (req.body !== undefined && !Buffer.isBuffer(req.body)) {
      throw new ApiError('Unauthorized', `registry ${this.host} asked for authentication in the middle of an upload; retry the push`);
    }
    const challenges = parseChallenges(header);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) this.tokens.set(key, await this.token(bearer, req.scopes));
    else if (challenges.some((c) => c.scheme === 'basic')) {
      if (!this.opts.auth?.username) throw this.needLogin();
      this.basic = true;
    } else throw new ApiError('Unauthorized', `registry ${this.host} answered 401 without a challenge this client understands (${header || 'no WWW-Authenticate header'})`);
    res = await this.send(url(), req, this.authHeader(key));
    if (res.status === 401) {
      await res.body?.cancel();
      throw this.opts.auth?.username
        ? new ApiError('Unauthorized', `registry ${this.host} rejected the credentials of "${this.opts.auth.username}": run lcctl login ${this.host} again`)
        : this.needLogin();
    }
    return res;
  }

  /** Like fetch, but any status outside 2xx becomes an ApiError with the registry's message. */
  async call(path: string, req: RegistryRequest, what: string): Promise<Response> {
    const res = await this.fetch(path, req);
    if (res.status >= 200 && res.status < 300) return res;
    throw await this.errorOf(res, what);
  }

  /** Turns an error answer ({"errors":[{code,message}]}) into an ApiError naming what failed. */
  async errorOf(res: Response, what: string): Promise<ApiError> {
    const text = await res.text().catch(() => '');
    let detail = text.trim().slice(0, 300);
    try {
      const doc = parseJsonBounded(text, 'error answer') as { errors?: { code?: string; message?: string }[] };
      if (Array.isArray(doc.errors) && doc.errors.length > 0) detail = doc.errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    } catch { /* not JSON: keep the text */ }
    const code: ErrorCode = res.status === 401 ? 'Unauthorized' : res.status === 403 ? 'Forbidden' : res.status === 404 ? 'NotFound'
      : res.status === 429 || res.status >= 500 ? 'Unavailable' : 'BadRequest';
    return new ApiError(code, `${what}: registry ${this.host} answered ${res.status}${detail ? ` (${detail})` : ''}`);
  }

  private needLogin(): ApiError {
    return new ApiError('Unauthorized', `registry ${this.host} requires authentication: run lcctl login ${this.host}`);
  }

  private authHeader(key: string): string | undefined {
    const token = this.opts.auth?.registrytoken ?? this.tokens.get(key);
    if (token) return `Bearer ${token}`;
    const a = this.opts.auth;
    if (this.basic && a?.username) return `Basic ${Buffer.from(`${a.username}:${a.password ?? ''}`).toString('base64')}`;
    return undefined;
  }

  private async send(url: string, req: RegistryRequest, authorization: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': 'lantern', ...req.headers };
    if (authorization) headers.authorization = authorization;
    const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers, redirect: 'follow' };
    if (this.opts.signal) init.signal = this.opts.signal;
    if (req.body !== undefined) { init.body = req.body as BodyInit; init.duplex = 'half'; }
    const overHttps = url.startsWith(`https://${this.host}/`);
    try {
      const res = await this.fetchFn(url, init);
      if (overHttps) this.mayFallBack = false;
      return res;
    } catch (e) {
      const replayable = req.body === undefined || Buffer.isBuffer(req.body);
      if (!this.mayFallBack || !overHttps || !replayable || (e as Error).name === 'AbortError') throw unreachable(this.host, url, e);
      const plain = `http${url.slice('https'.length)}`;
      try {
        const res = await this.fetchFn(plain, init);
        this.scheme = 'http';
        this.mayFallBack = false;
        return res;
      } catch (e2) {
        if ((e2 as Error).name === 'AbortError') throw unreachable(this.host, plain, e2);
        throw new ApiError('Unavailable', `cannot reach registry ${this.host} over HTTPS (${url.replace(/\?.*$/, '')}: ${causeOf(e)}) nor over plain HTTP (${causeOf(e2)})`);
      }
    }
  }

  /** GET realm?service=..&scope=.. with Basic credentials when given; {token} or {access_token}. */
  private async token(c: AuthChallenge, scopes: string[]): Promise<string> {
    const realm = c.params.realm;
    if (!realm) throw new ApiError('Unauthorized', `registry ${this.host} sent a Bearer challenge without a realm`);
    const url = new URL(realm);
    if (c.params.service) url.searchParams.set('service', c.params.service);
    for (const s of new Set([...(c.params.scope ? c.params.scope.split(' ') : []), ...scopes])) url.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    const a = this.opts.auth;
    if (a?.username) headers.authorization = `Basic ${Buffer.from(`${a.username}:${a.identitytoken ?? a.password ?? ''}`).toString('base64')}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, { headers, ...(this.opts.signal ? { signal: this.opts.signal } : {}) });
    } catch (e) {
      throw unreachable(url.host, url.toString(), e);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw a?.username
        ? new ApiError('Unauthorized', `the token service ${url.host} of registry ${this.host} rejected the credentials of "${a.username}" (${res.status}): run lcctl login ${this.host} again`)
        : new ApiError('Unauthorized', `registry ${this.host} refused anonymous access (${scopes.join(' ')}): the repository may not exist or may need lcctl login ${this.host}`);
    }
    if (!res.ok) throw await this.errorOf(res, `getting a token from ${url.origin}${url.pathname}`);
    const doc = (await res.text().then((t) => parseJsonBounded(t, 'token answer')).catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const token = typeof doc.token === 'string' && doc.token ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : '';
    if (!token) throw new ApiError('Unauthorized', `the token service of registry ${this.host} answered without a token`);
    return token;
  }
}

/** The network error's code or message ("ECONNREFUSED", "UND_ERR_SOCKET"). */
function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

function unreachable(host: string, url: string, e: unknown): ApiError {
  if ((e as Error).name === 'AbortError') return new ApiError('Unavailable', `request to registry ${host} was cancelled`);
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why = causeOf(e);
  const hint = url.startsWith('https:') && /SSL|TLS|EPROTO|wrong version/i.test(String(cause?.message ?? why))
    ? ' (a plain-HTTP registry must be listed as insecure)' : '';
  return new ApiError('Unavailable', `cannot reach registry ${host} (${url.replace(/\?.*$/, '')}): ${why}${hint}`);
}
