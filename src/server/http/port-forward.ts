import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApiClient } from '../../client/types.js';
import { ApiError } from '../../api/errors.js';
import { FramedDuplex, splice } from '../../client/port-forward.js';
import type { NodeRegistry } from '../node-registry.js';
import { podNode } from './pod-io.js';
import { clientGone } from './upgraded.js';

/** The port query parameter: a TCP port number. */
export function forwardPort(query: URLSearchParams): number {
  const v = query.get('port');
  if (v === null) throw new ApiError('BadRequest', 'query parameter port: required (the pod\'s TCP port to connect to)');
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 65535) throw new ApiError('BadRequest', `query parameter port: expected a TCP port number from 1 to 65535, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * GET|POST .../pods/NAME/portforward?port=P with "Upgrade": connect to the pod's port on its node
 * (in process or through the node's tunnel) first, so a failure is a plain HTTP error; then answer
 * 101 and relay one TCP connection as port-forward frames (client/port-forward.ts).
 */
export async function servePodPortForward(api: ApiClient, nodes: NodeRegistry, socket: Duplex, ns: string, name: string, query: URLSearchParams): Promise<void> {
  const port = forwardPort(query);
  const { node } = await podNode(api, nodes, ns, name);
  const conn = await node.podPortForward(ns, name, port);
  // Until splice listens, a pod connection that fails must not raise an unheard 'error'.
  conn.on('error', () => undefined);
  // The client hung up while we connected: its 'close' has fired already, so drop the pod's side here.
  if (clientGone(socket)) { conn.destroy(); socket.destroy(); return; }
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: lantern-stream\r\nConnection: Upgrade\r\n\r\n');
  (socket as Partial<Socket>).setNoDelay?.(true);
  splice(new FramedDuplex(socket), conn);
}
