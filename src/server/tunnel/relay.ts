/**
 * Logs, exec, attach, port-forward and stats of a node whose tunnel another server holds (issue 16
 * item 3). The server asked dials the holder's relay route, GET /apis/lantern.dev/v1/nodes/NAME/relay
 * with "Upgrade: lantern-tunnel", proving itself with its server credential (peer-servers.ts); the
 * holder serves the node's tunnel services on that connection with the tunnel's own protocol
 * (serveNodeServices), so the asking server sees the node as if its tunnel were its own
 * (RemoteNodeServices). Only a peer server may open a relay: not a node, a join token or an admin.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import type { NodeServices } from '../../api/node-services.js';
import { TunnelMux } from '../../client/tunnel/mux.js';
import { serveNodeServices } from '../../client/tunnel/serve.js';
import type { Identity } from '../http/auth.js';
import type { NodeRegistry } from '../node-registry.js';
import { isPeerServer, type PeerServers } from './peer-servers.js';
import { RemoteNodeServices } from './remote-node-services.js';

/** The relay route: another server reaching a node through the server that holds its tunnel. */
export const relayPathPattern = /^\/apis\/lantern\.dev\/v1\/nodes\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/relay$/;

/** The node a relay path names, or undefined for another path. */
export function relayNode(pathname: string): string | undefined {
  return relayPathPattern.exec(pathname)?.[1];
}

/** Throw Forbidden unless `id` is a peer server: the relay carries any pod's streams, so only servers may open it. */
export function authorizeRelay(id: Identity, node: string): void {
  if (!isPeerServer(id)) {
    throw new ApiError('Forbidden', `${id.name} may not relay to node "${node}": only another server of this cluster (a system:server credential) may`);
  }
}

/**
 * Serve a peer's relay (authorized by the caller): answer 101 and serve the node's tunnel services
 * on the connection. 503 when this server does not hold the node's tunnel (it moved or is gone).
 */
export function serveRelay(nodes: NodeRegistry, req: IncomingMessage, socket: Duplex, node: string): void {
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'lantern-tunnel') throw new ApiError('BadRequest', 'the relay needs "Connection: Upgrade" and "Upgrade: lantern-tunnel"');
  const services = nodes.tunnel(node) === undefined ? undefined : nodes.connected(node);
  if (services === undefined) throw new ApiError('Unavailable', `node "${node}" has no tunnel to this server (it moved to another server or its agent is down): retry`);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: lantern-tunnel\r\nConnection: Upgrade\r\n\r\n');
  (socket as Partial<Socket>).setNoDelay?.(true);
  const mux = new TunnelMux(socket, serveNodeServices(services));
  // The node's tunnel went: drop the relay too, so the peer dials the new holder.
  const off = nodes.onTunnel((n, up) => { if (n === node && !up) mux.close(`node ${node}'s tunnel closed`); });
  mux.onClose(off);
}

interface Relay { url: string; mux: TunnelMux; services: RemoteNodeServices }

/** This server's relays to its peers, one per node, dialled on first use and again when the holder changes. */
export class RelayDialer {
  private readonly relays = new Map<string, Promise<Relay>>();

  constructor(private readonly peers: PeerServers, private readonly ca: string | undefined) {}

  /** NodeServices for `node` through the server holding its tunnel, when another server does. */
  servicesFor(node: string): NodeServices | undefined {
    if (this.peers.holder(node) === undefined) return undefined;
    const call = async (method: keyof NodeServices, args: unknown[]): Promise<unknown> => {
      const relay = await this.relay(node);
      const fn = relay.services[method] as (...a: unknown[]) => Promise<unknown>;
      return fn.apply(relay.services, args);
    };
    return new Proxy({} as NodeServices, {
      get: (_t, prop) => (typeof prop !== 'string' || prop === 'then' ? undefined : (...args: unknown[]) => call(prop as keyof NodeServices, args)),
    });
  }

  /** Close every relay (the server stops). */
  close(): void {
    for (const p of this.relays.values()) void p.then((r) => r.mux.close('the server stopped'), () => undefined);
    this.relays.clear();
  }

  private async relay(node: string): Promise<Relay> {
    const holder = this.peers.holder(node);
    if (holder === undefined) throw new ApiError('Unavailable', `node "${node}" is not connected to any server (its agent is down or unreachable)`);
    const cached = this.relays.get(node);
    if (cached !== undefined) {
      const r = await cached.catch(() => undefined);
      if (r !== undefined && r.url === holder.url && !r.mux.closed) return r;
      if (this.relays.get(node) === cached) this.relays.delete(node);
      r?.mux.close('the node moved to another server');
    }
    const dialled = this.dial(node, holder.url);
    this.relays.set(node, dialled);
    dialled.catch(() => { if (this.relays.get(node) === dialled) this.relays.delete(node); });
    return dialled;
  }

  private dial(node: string, url: string): Promise<Relay> {
    return new Promise((resolve, reject) => {
      const target = new URL(`/apis/lantern.dev/v1/nodes/${encodeURIComponent(node)}/relay`, url);
      const headers = { authorization: `Bearer ${this.peers.credential}`, connection: 'Upgrade', upgrade: 'lantern-tunnel' };
      const req = target.protocol === 'https:'
        ? https.request(target, { method: 'GET', headers, ca: this.ca, agent: false, timeout: 10_000 })
        : http.request(target, { method: 'GET', headers, agent: false, timeout: 10_000 });
      const unreachable = (why: string): ApiError =>
        new ApiError('Unavailable', `node "${node}" is connected to the server at ${url}, which cannot be reached from this one (${why}): retry, or use that server`);
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (e) => reject(unreachable(e.message)));
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => { body += d.toString('utf8'); });
        res.on('end', () => reject(unreachable(`it answered ${res.statusCode ?? '?'} ${body.slice(0, 300)}`)));
        res.on('error', (e) => reject(unreachable(e.message)));
      });
      req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
        req.setTimeout(0);
        socket.setTimeout(0);
        socket.setKeepAlive(true, 10_000);
        socket.setNoDelay(true);
        if (head.length > 0) socket.unshift(head);
        const mux = new TunnelMux(socket);
        mux.onClose(() => { void this.relays.get(node)?.then((r) => { if (r.mux === mux) this.relays.delete(node); }, () => undefined); });
        resolve({ url, mux, services: new RemoteNodeServices(mux, node) });
      });
      req.end();
    });
  }
}
