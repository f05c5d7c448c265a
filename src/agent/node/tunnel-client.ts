import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { NodeServices } from '../../api/node-services.js';
import type { ClientConfig } from '../../client/http-client.js';
import { TunnelMux } from '../../client/tunnel/mux.js';
import { serveNodeServices } from '../../client/tunnel/serve.js';

/** What the tunnel client needs: where the server is, the node's credential, and what to serve. */
export interface TunnelClientOptions {
  config: ClientConfig;
  nodeName: string;
  services: NodeServices;
  log?: (msg: string) => void;
  /** Reconnect delays: first, and the most it grows to. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** The agent's version, sent as x-lantern-agent-version so the server can apply the version skew policy. */
  agentVersion?: string;
  /** Told each time a dial fails or the tunnel closes (several servers: the client moves on to the next). */
  onDialFailed?: (server: string, why: string) => void;
}

/**
 * Keeps one connection open from the agent to the server (GET .../nodes/NAME/tunnel, upgraded) and
 * serves the server's logs, exec, attach, stats and image calls over it; redials with back-off.
 */
export class TunnelClient {
  private stopped = false;
  private mux: TunnelMux | undefined;
  private req: http.ClientRequest | undefined;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;
  private readonly log: (msg: string) => void;

  constructor(private readonly opts: TunnelClientOptions) {
    this.delay = opts.minDelayMs ?? 500;
    this.log = opts.log ?? ((m) => console.error(`agent: ${m}`));
  }

  start(): void { this.dial(); }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.req?.destroy();
    this.mux?.close('the agent stopped');
  }

  private retry(why: string): void {
    if (this.stopped) return;
    this.log(`tunnel to ${this.opts.config.server}: ${why}; redialling in ${Math.round(this.delay / 100) / 10}s`);
    this.opts.onDialFailed?.(this.opts.config.server, why);
    this.timer = setTimeout(() => this.dial(), this.delay);
    this.delay = Math.min(this.delay * 2, this.opts.maxDelayMs ?? 10_000);
  }

  private dial(): void {
    if (this.stopped) return;
    const url = new URL(`/apis/lantern.dev/v1/nodes/${encodeURIComponent(this.opts.nodeName)}/tunnel`, this.opts.config.server);
    const headers = { authorization: `Bearer ${this.opts.config.token}`, connection: 'Upgrade', upgrade: 'lantern-tunnel', ...(this.opts.agentVersion ? { 'x-lantern-agent-version': this.opts.agentVersion } : {}) };
    const req = url.protocol === 'https:'
      ? https.request(url, { method: 'GET', headers, ca: this.opts.config.ca, agent: false, timeout: 15_000 })
      : http.request(url, { method: 'GET', headers, agent: false, timeout: 15_000 });
    this.req = req;
    let settled = false;
    const fail = (why: string): void => { if (!settled) { settled = true; this.retry(why); } };
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => fail(e.message));
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString('utf8'); });
      res.on('end', () => fail(`the server answered ${res.statusCode ?? '?'} ${body.slice(0, 300)}`));
      res.on('error', (e) => fail(e.message));
    });
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      settled = true;
      req.setTimeout(0);
      socket.setTimeout(0);
      socket.setKeepAlive(true, 10_000);
      socket.setNoDelay(true);
      if (head.length > 0) socket.unshift(head);
      const mux = new TunnelMux(socket, serveNodeServices(this.opts.services));
      this.mux = mux;
      this.delay = this.opts.minDelayMs ?? 500;
      this.log(`tunnel to ${this.opts.config.server} is up`);
      mux.onClose((reason) => { if (this.mux === mux) this.mux = undefined; this.retry(`tunnel closed (${reason})`); });
    });
    req.end();
  }
}
