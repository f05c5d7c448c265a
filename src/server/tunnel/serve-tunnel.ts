import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import { TunnelMux } from '../../client/tunnel/mux.js';
import type { NodeRegistry } from '../node-registry.js';
import { RemoteNodeServices } from './remote-node-services.js';

/** The path an agent dials: GET /apis/lantern.dev/v1/nodes/NAME/tunnel with "Upgrade: lantern-tunnel". */
export const tunnelPathPattern = /^\/apis\/lantern\.dev\/v1\/nodes\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/tunnel$/;

/** The node name a tunnel path names, or undefined for another path. */
export function tunnelNode(pathname: string): string | undefined {
  return tunnelPathPattern.exec(pathname)?.[1];
}

/**
 * Accept an agent's tunnel (the caller has authorized it): answer 101, then register the node's
 * services for as long as the connection lives.
 */
export function serveTunnel(nodes: NodeRegistry, req: IncomingMessage, socket: Duplex, node: string, log: (m: string) => void = (m) => console.error(`server: ${m}`)): void {
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'lantern-tunnel') throw new ApiError('BadRequest', 'the node tunnel needs "Connection: Upgrade" and "Upgrade: lantern-tunnel"');
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: lantern-tunnel\r\nConnection: Upgrade\r\n\r\n');
  // Notice a link that died without a FIN (an edge node that lost power or its NAT mapping).
  (socket as Partial<Socket>).setKeepAlive?.(true, 10_000);
  (socket as Partial<Socket>).setNoDelay?.(true);
  const mux = new TunnelMux(socket);
  const unregister = nodes.register(node, new RemoteNodeServices(mux, node));
  log(`node ${node} connected its tunnel`);
  mux.onClose((reason) => { unregister(); log(`node ${node} tunnel closed: ${reason}`); });
}
