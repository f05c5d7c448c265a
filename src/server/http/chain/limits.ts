/**
 * The limits step: bounded header, body and idle times, and a cap on the connections one client
 * address may hold. Upgraded connections (exec, attach, port-forward, the node tunnel) and
 * streaming requests are not cut by these times.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import { ApiError } from '../../../api/errors.js';
import type { RequestInfo } from './request-info.js';

/** The server's limits; each has a default in `defaultLimits`. 0 turns a cap off. */
export interface ServerLimits {
  /** kube-apiserver's --max-requests-inflight: read-only requests served at once (long-running ones excluded). */
  maxRequestsInflight: number;
  /** kube-apiserver's --max-mutating-requests-inflight. */
  maxMutatingRequestsInflight: number;
  /** Open connections one client address may hold (an edge site behind one NAT shares one address). */
  maxConnectionsPerAddress: number;
  /** A request's headers must arrive within this; also closes a connection that never sends a request. */
  headersTimeoutMs: number;
  /** The body of a request that is not a stream must arrive within this (from its first byte). */
  requestBodyTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Largest request head (request line + headers), in bytes; more is answered 431. */
  maxHeaderSize: number;
}

/**
 * Defaults. 1,000 connections per address: an agent holds its tunnel, its pod watch and a keep-alive
 * pool that grows to one connection per pod whose status it is writing (about 2 + its pods); an
 * edge site of 100 devices with 8 pods each behind one NAT stays under it, one client cannot take
 * the server's file descriptors (LimitNOFILE) alone.
 */
export const defaultLimits: ServerLimits = {
  maxRequestsInflight: 400,
  maxMutatingRequestsInflight: 200,
  maxConnectionsPerAddress: 1000,
  // kube-apiserver's ReadHeaderTimeout is 32 s; its --request-timeout 60 s; Go's IdleTimeout there is 90 s.
  headersTimeoutMs: 32_000,
  requestBodyTimeoutMs: 60_000,
  keepAliveTimeoutMs: 65_000,
  maxHeaderSize: 16 * 1024,
};

/** Connections of one address past the cap that are answered 429 (beyond this they are closed unanswered). */
const refusedGrace = 64;
/** How long a refused connection may stay silent before it is closed. */
const refusedIdleMs = 5_000;

const connectionKey = (s: { remoteAddress?: string; remotePort?: number }): string => `${s.remoteAddress ?? '?'}|${s.remotePort ?? 0}`;

/** Connection counting per address, the servers' timeouts, and the per-request checks of the limits step. */
export class ConnectionLimits {
  readonly limits: ServerLimits;
  private readonly perAddress = new Map<string, number>();
  /** Connections (by address|port, which a TLS socket shares with its TCP socket) to answer with 429. */
  private readonly refused = new Set<string>();

  constructor(limits: Partial<ServerLimits> = {}) {
    this.limits = { ...defaultLimits, ...limits };
  }

  /** Options for http(s).createServer. */
  serverOptions(): http.ServerOptions & { handshakeTimeout: number } {
    const l = this.limits;
    return {
      maxHeaderSize: l.maxHeaderSize,
      headersTimeout: l.headersTimeoutMs,
      // Node's own requestTimeout would cut image imports and registry pushes too: the limits step
      // times the bodies of non-streaming requests instead (admit).
      requestTimeout: 0,
      keepAliveTimeout: l.keepAliveTimeoutMs,
      // How often Node looks for connections past headersTimeout (its default is 30 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(l.headersTimeoutMs / 4))),
      handshakeTimeout: l.headersTimeoutMs,
    };
  }

  /** Count connections per address on SERVER (made with serverOptions()). */
  attach(server: http.Server): void {
    server.on('connection', (socket: Socket) => this.onConnection(socket));
  }

  /** Open connections from ADDRESS right now. */
  connectionsFrom(address: string): number { return this.perAddress.get(address) ?? 0; }

  private onConnection(socket: Socket): void {
    const address = socket.remoteAddress ?? '?';
    const key = connectionKey(socket);
    const n = (this.perAddress.get(address) ?? 0) + 1;
    this.perAddress.set(address, n);
    socket.once('close', () => {
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.perAddress.delete(address); else this.perAddress.set(address, left);
      this.refused.delete(key);
    });
    const cap = this.limits.maxConnectionsPerAddress;
    if (cap <= 0 || n <= cap) return;
    if (n > cap + refusedGrace) { socket.destroy(); return; }
    // Answer its first request with 429 (admit) so the client learns why; close it if it stays silent.
    this.refused.add(key);
    socket.setTimeout(refusedIdleMs, () => socket.destroy());
  }

  /** An upgrade (tunnel, exec) on a connection over its address's cap is refused too (429, then closed). */
  admitUpgrade(req: http.IncomingMessage): void {
    if (this.refused.has(connectionKey(req.socket))) throw this.tooMany(req.socket.remoteAddress ?? '?');
  }

  private tooMany(address: string): ApiError {
    return new ApiError('TooManyRequests', `too many connections from ${address}: ${this.connectionsFrom(address)} are open and the server allows ${this.limits.maxConnectionsPerAddress} per address (lanternd server --max-connections-per-address); reuse connections (keep-alive) or close idle ones, then retry`);
  }

  /**
   * The per-request part: 429 on a connection over its address's cap (then close it), and a
   * deadline for the body of a request that is not a stream.
   */
  admit(req: http.IncomingMessage, res: http.ServerResponse, info: RequestInfo): void {
    const socket = req.socket;
    if (this.refused.has(connectionKey(socket))) {
      res.shouldKeepAlive = false;
      res.setHeader('retry-after', '1');
      throw this.tooMany(socket.remoteAddress ?? '?');
    }
    if (info.longRunning || req.complete || this.limits.requestBodyTimeoutMs <= 0) return;
    const timer = setTimeout(() => {
      if (req.complete) return;
      res.shouldKeepAlive = false;
      if (!res.headersSent) {
        const err = new ApiError('RequestTimeout', `the request body did not arrive within ${Math.round(this.limits.requestBodyTimeoutMs / 1000)} s: send the whole body at once`);
        const body = JSON.stringify(err.toBody());
        res.writeHead(err.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
        res.end(body, () => socket.destroy());
      } else {
        socket.destroy();
      }
    }, this.limits.requestBodyTimeoutMs);
    const clear = (): void => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
    res.once('close', clear);
  }
}
