/**
 * kubectl port-forward's protocol: an HTTP upgrade to SPDY/3.1 ("X-Stream-Protocol-Version:
 * portforward.k8s.io"), then per local connection two SPDY streams the client opens, each with the
 * headers streamType (error|data), port and requestID: the data stream carries the bytes to and from
 * the pod's port, the error stream a message when the connection to the pod fails. SPDY framing is
 * spdy-transport's (node-spdy); its parser insists on HTTP's :method and :path in every SYN_STREAM,
 * which Kubernetes' streams do not carry, so the header decoder fills them in for streams that name a
 * streamType (the one place Lantern reaches into the library; documented in docs/architecture.md).
 * kubectl v1.32 first tries SPDY tunnelled in a WebSocket (subprotocol "SPDY/3.1+portforward.k8s.io",
 * not a valid RFC 6455 token, so ws refuses it with 400) and then falls back to this upgrade.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import transport, { type SpdyConnection, type SpdyStream } from 'spdy-transport';
import { ApiError } from '../../api/errors.js';
import { splice } from '../../client/port-forward.js';

/** The pod side: a connection to a port of the pod (through its node's tunnel or in process). */
export type PodConnector = (port: number) => Promise<Duplex>;

/** True when REQ asks for Kubernetes' SPDY port-forward protocol. */
export function isSpdyPortForward(req: IncomingMessage): boolean {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  const versions = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((s) => s.trim());
  return upgrade.startsWith('spdy/3.1') && versions.includes('portforward.k8s.io');
}

/** Kubernetes' streams name a streamType and no HTTP pseudo-headers: give spdy-transport the ones it requires. */
function acceptKubernetesHeaders(conn: SpdyConnection): void {
  const parser = conn._spdyState.parser;
  const parseKVs = parser.parseKVs.bind(parser);
  parser.parseKVs = (body, callback) => parseKVs(body, (err, headers) => {
    if (!err && headers && headers.streamtype !== undefined) {
      headers[':method'] ??= 'POST';
      headers[':path'] ??= '/';
    }
    callback(err, headers);
  });
}

/** The port a stream names, or an error for the client. */
function streamPort(stream: SpdyStream): number {
  const v = stream.headers.port ?? '';
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 65535) throw new ApiError('BadRequest', `stream header port: expected a TCP port number from 1 to 65535, got ${JSON.stringify(v)}`);
  return n;
}

/** One connection's pair of streams, joined by requestID. */
interface Pair { error?: SpdyStream; data?: SpdyStream }

/**
 * Answer the upgrade and serve streams until the client hangs up. Authorization (pods/portforward)
 * and the pod's existence were checked before; connect reaches the pod's port.
 */
export function serveSpdyPortForward(socket: Duplex, connect: PodConnector): void {
  socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
  const conn = transport.connection.create(socket, { protocol: 'spdy', isServer: true });
  acceptKubernetesHeaders(conn);
  conn.start(3.1);
  const pairs = new Map<string, Pair>();
  conn.on('error', () => socket.destroy());
  socket.on('close', () => conn.destroyStreams());
  conn.on('stream', (stream) => {
    stream.on('error', () => undefined);
    stream.respond(200, {});
    const id = stream.headers.requestid ?? '';
    const pair = pairs.get(id) ?? {};
    pairs.set(id, pair);
    if (stream.headers.streamtype === 'error') pair.error = stream;
    else if (stream.headers.streamtype === 'data') pair.data = stream;
    else { stream.end(); return; }
    if (stream.headers.streamtype !== 'data') return;
    void forward(stream, () => pairs.get(id)?.error, connect).finally(() => pairs.delete(id));
  });
}

/** Connect the data stream to the pod's port; a failure is written to the error stream, as the kubelet does. */
async function forward(data: SpdyStream, errorStream: () => SpdyStream | undefined, connect: PodConnector): Promise<void> {
  try {
    const pod = await connect(streamPort(data));
    pod.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      splice(data, pod);
      pod.on('close', () => resolve());
      data.on('close', () => resolve());
    });
    // kubectl reads the error stream to its end before it closes the local connection: end it empty.
    errorStream()?.end();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const err = errorStream();
    err?.end(`error forwarding port ${data.headers.port ?? ''}: ${message}`);
    data.end();
  }
}
