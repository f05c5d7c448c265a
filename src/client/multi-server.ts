/**
 * Several servers seen as one (issue 16 item 3): every server of an HA control plane serves the whole
 * API over one shared store, so a client keeps one current server and, when a request cannot reach
 * it (refused, reset, hung up), moves on to the next in the list (round robin; a back-off after each
 * full round) and sends the request there. Watches follow, because the informers re-watch through
 * the same client from the last resourceVersion, which every server shares.
 */
import type { Readable } from 'node:stream';
import type { ApiObject } from '../api/meta.js';
import { ApiError } from '../api/errors.js';
import { backoffDelay } from './kit/backoff.js';
import { HttpClient, parseAnswer, readAll, type ClientConfig, type RawResponse } from './http-client.js';
import { resourcePath } from './paths.js';
import type { WriteOptions } from './types.js';
import { sameIntent } from './same-intent.js';
import { defaultRequestTimeoutMs, hasDeadline, withDeadline } from './request-deadline.js';

/** The servers a `--server`/LANTERN_SERVER value names: comma-separated URLs, trailing slashes dropped. */
export function serverList(value: string): string[] {
  return value.split(',').map((s) => s.trim().replace(/\/+$/, '')).filter((s) => s !== '');
}

/** An HttpClient for config.server: a MultiServerClient when it names several servers. */
export function clientFor(config: ClientConfig): HttpClient {
  const servers = serverList(config.server);
  return servers.length > 1 ? new MultiServerClient(config, servers) : new HttpClient(config);
}

/** Full rounds over every server before a request gives up, and the pause after each. */
const rounds = 3;
const roundBackoff = { baseMs: 500, maxMs: 5_000 };

/** Per request: whether it was sent again after a connection broke mid-way (it may have been applied). */
interface Attempt { resent: boolean; create?: boolean }

/** Options of a MultiServerClient. */
export interface MultiServerOptions {
  /** How long an idempotent request or a create waits for an answer before moving on (ms). */
  requestTimeoutMs?: number;
}

/**
 * The ApiClient over a list of servers. `config.server` always reads as the current server, so
 * whoever dials by it (the node tunnel, exec and port-forward upgrades) follows a failover.
 */
export class MultiServerClient extends HttpClient {
  private readonly clients: HttpClient[];
  private current = 0;
  private readonly listeners: ((server: string, why: string) => void)[] = [];
  /** The servers, in the order they are tried. */
  readonly servers: readonly string[];
  private readonly requestTimeoutMs: number;

  constructor(config: ClientConfig, servers: readonly string[], opts: MultiServerOptions = {}) {
    const self: { current: () => string } = { current: () => servers[0] ?? '' };
    nonEmpty(servers);
    super({ ...config, get server(): string { return self.current(); } });
    this.servers = servers;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? defaultRequestTimeoutMs;
    this.clients = servers.map((server) => new HttpClient({ ...config, server }));
    self.current = () => this.servers[this.current]!;
  }

  /** The server requests go to now. */
  get server(): string { return this.servers[this.current]!; }

  /** Called with the server left behind and why, each time the client moves on. */
  onMove(fn: (server: string, why: string) => void): void { this.listeners.push(fn); }

  /** Someone else (the tunnel) could not reach `server`: move on if it is still the current one. */
  reportFailure(server: string, why: string): void {
    const i = this.servers.indexOf(server);
    if (i >= 0) this.moveOn(i, why);
  }

  private moveOn(from: number, why: string): void {
    if (this.current !== from) return;
    this.current = (from + 1) % this.servers.length;
    for (const fn of this.listeners) fn(this.servers[from]!, why);
  }

  override raw(method: string, path: string, body?: string | Buffer | Readable, headers: Record<string, string> = {}): Promise<RawResponse> {
    return this.sendAny(method, path, body, headers, { resent: false });
  }

  /**
   * Send to the current server; a connection error moves on. A stream body cannot be sent twice; a
   * request that never connected (refused, no route) is safe to resend whatever it was.
   */
  private async sendAny(method: string, path: string, body: string | Buffer | Readable | undefined, headers: Record<string, string>, attempt: Attempt): Promise<RawResponse> {
    const replayable = body === undefined || typeof body === 'string' || Buffer.isBuffer(body);
    const tries = rounds * this.servers.length;
    for (let n = 1; ; n++) {
      const i = this.current;
      try {
        const send = this.clients[i]!.raw(method, path, body, headers);
        // A hung server (SIGSTOPped, packets dropped) fails nothing: a deadline turns it into a move-on.
        return await (hasDeadline(method, path, body, attempt.create === true) ? withDeadline(send, this.requestTimeoutMs, this.servers[i]!) : send);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        this.moveOn(i, why);
        if (!replayable || n >= tries) throw e;
        if (!neverConnected(why)) attempt.resent = true;
        if (n % this.servers.length === 0) await new Promise((r) => setTimeout(r, backoffDelay(roundBackoff, n / this.servers.length - 1)));
      }
    }
  }

  /**
   * A create whose connection broke after sending may have been applied before it was resent: its
   * AlreadyExists then means our own object when the stored one carries everything we sent
   * (defaults only add fields), so it counts as created; a different object is still a conflict.
   */
  override async create<T extends ApiObject>(resource: string, obj: T, opts: WriteOptions = {}): Promise<T> {
    const attempt: Attempt = { resent: false, create: true };
    const path = resourcePath(resource, obj.metadata?.namespace) + (opts.dryRun ? '?dryRun=All' : '');
    const res = await this.sendAny('POST', path, JSON.stringify(obj), { 'content-type': 'application/json' }, attempt);
    const text = await readAll(res.body);
    try {
      return parseAnswer<T>(res.status, text);
    } catch (e) {
      const name = obj.metadata?.name;
      if (!(e instanceof ApiError) || e.code !== 'AlreadyExists' || !attempt.resent || name === undefined || name === '') throw e;
      const stored = await this.get<T>(resource, name, obj.metadata?.namespace);
      if (!sameIntent(obj, stored)) throw e;
      return stored;
    }
  }
}

function nonEmpty(servers: readonly string[]): void {
  if (servers.length === 0) throw new ApiError('BadRequest', 'no server given: name at least one URL');
}

/** The request never reached a server, so it was certainly not applied. */
function neverConnected(message: string): boolean {
  return /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOENT|EAI_AGAIN|ENOTFOUND/.test(message);
}

/** Tunnel options that move `api` on when its tunnel cannot reach the current server (none for one server). */
export function followServers(api: HttpClient): { onDialFailed?: (server: string, why: string) => void } {
  return api instanceof MultiServerClient ? { onDialFailed: (server, why) => api.reportFailure(server, why) } : {};
}
