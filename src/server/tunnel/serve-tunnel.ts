import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import { TunnelMux } from '../../client/tunnel/mux.js';
import type { NodeRegistry } from '../node-registry.js';
import { RemoteNodeServices } from './remote-node-services.js';
import { pingTunnel } from './tunnel-ping.js';

/** The path an agent dials: GET /apis/lantern.dev/v1/nodes/NAME/tunnel with "Upgrade: lantern-tunnel". */
export const tunnelPathPattern = /^\/apis\/lantern\.dev\/v1\/nodes\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/tunnel$/;

/** How long a live tunnel has to answer a ping when another connection offers itself for its node. */
export const tunnelPingTimeoutMs = 5_000;

/** The node name a tunnel path names, or undefined for another path. */
export function tunnelNode(pathname: string): string | undefined {
  return tunnelPathPattern.exec(pathname)?.[1];
}

const addressOf = (req: IncomingMessage): string => {
  const s = req.socket;
  return s.remoteAddress === undefined ? 'an unknown address' : `${s.remoteAddress}:${s.remotePort ?? '?'}`;
};

/**
 * Refuse the offer of a second tunnel while the node's tunnel is live (409). The live one is pinged
 * first: an agent that lost its connection without a FIN (power loss, a NAT that forgot it) dials
 * again while the server still holds the old socket, and that old one does not answer, so it is
 * dropped and the new one taken. The server's own node never takes a tunnel (403).
 */
async function makeRoom(nodes: NodeRegistry, req: IncomingMessage, node: string, pingTimeoutMs: number): Promise<void> {
  if (nodes.isLocal(node)) {
    throw new ApiError('Forbidden', `node "${node}" is this server's own node (run by lanternd server itself): its tunnel cannot be opened from outside`);
  }
  const live = nodes.tunnel(node);
  if (live === undefined) return;
  const release = nodes.claimOffer(node);
  if (release === undefined) throw new ApiError('Conflict', `another tunnel for node "${node}" is being checked against its live one: retry in a few seconds`);
  let alive: boolean;
  try { alive = await live.ping(pingTimeoutMs); } finally { release(); }
  if (alive) {
    throw new ApiError('Conflict', `node "${node}" already has a live tunnel (from ${live.from}, since ${live.since.toISOString()}); a second one is refused. ` +
      'If this is the same node after a restart, keep redialling: the old connection is dropped once it stops answering');
  }
  live.close(`it did not answer a ping within ${pingTimeoutMs / 1000}s when ${addressOf(req)} offered a new tunnel`);
}

/**
 * Accept an agent's tunnel (the caller has authorized it): answer 101, then register the node's
 * services for as long as the connection lives.
 */
export async function serveTunnel(nodes: NodeRegistry, req: IncomingMessage, socket: Duplex, node: string,
  log: (m: string) => void = (m) => console.error(`server: ${m}`), pingTimeoutMs = tunnelPingTimeoutMs): Promise<void> {
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'lantern-tunnel') throw new ApiError('BadRequest', 'the node tunnel needs "Connection: Upgrade" and "Upgrade: lantern-tunnel"');
  await makeRoom(nodes, req, node, pingTimeoutMs);
  // The dialler may have given up (or been revoked) while the old tunnel was pinged.
  if (socket.destroyed) return;
  // Another offer may have been taken while this one awaited: still one tunnel per node.
  if (nodes.tunnel(node) !== undefined) throw new ApiError('Conflict', `node "${node}" already has a live tunnel: a second one is refused`);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: lantern-tunnel\r\nConnection: Upgrade\r\n\r\n');
  // Notice a link that died without a FIN (an edge node that lost power or its NAT mapping).
  (socket as Partial<Socket>).setKeepAlive?.(true, 10_000);
  (socket as Partial<Socket>).setNoDelay?.(true);
  const mux = new TunnelMux(socket);
  const from = addressOf(req);
  const unregister = nodes.register(node, new RemoteNodeServices(mux, node), {
    from, since: new Date(), ping: (ms) => pingTunnel(mux, ms), close: (reason) => mux.close(reason),
  });
  log(`node ${node} connected its tunnel from ${from}`);
  mux.onClose((reason) => { unregister(); log(`node ${node} tunnel closed: ${reason}`); });
}
