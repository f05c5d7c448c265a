/**
 * .../pods/NAME/portforward in the three protocols clients speak: kubectl's SPDY upgrade, the
 * WebSocket channels of the Kubernetes client libraries, and lcctl's own framing (port-forward.ts).
 * The pod and its node are resolved before the upgrade is answered, so a missing or unscheduled pod
 * is a plain HTTP error.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { podNode } from './pod-io.js';
import { servePodPortForward } from './port-forward.js';
import { isSpdyPortForward, serveSpdyPortForward } from './kube-port-forward-spdy.js';
import { forwardPorts, isWebSocketPortForward, serveWebSocketPortForward } from './kube-port-forward-ws.js';
import type { ApiServerOptions } from './server.js';

/** Route a port-forward upgrade to the protocol it asks for. */
export async function servePortForward(opts: ApiServerOptions, req: IncomingMessage, socket: Duplex, ns: string, name: string, query: URLSearchParams): Promise<void> {
  if (isSpdyPortForward(req)) {
    const { node } = await podNode(opts.api, opts.nodes, ns, name);
    serveSpdyPortForward(socket, (port) => node.podPortForward(ns, name, port));
    return;
  }
  if (isWebSocketPortForward(req)) {
    const ports = forwardPorts(query);
    const { node } = await podNode(opts.api, opts.nodes, ns, name);
    await serveWebSocketPortForward(req, socket, ports, (port) => node.podPortForward(ns, name, port));
    return;
  }
  await servePodPortForward(opts.api, opts.nodes, socket, ns, name, query);
}
