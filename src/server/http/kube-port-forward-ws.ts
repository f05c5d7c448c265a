/**
 * Kubernetes' port-forward over WebSocket (what @kubernetes/client-node's PortForward speaks):
 * GET .../pods/NAME/portforward?ports=P1,P2 with a channel.k8s.io subprotocol (v4 or v5). Port i has
 * the data channel 2i and the error channel 2i+1; the server's first message on every channel is the
 * channel byte and the port as two little-endian bytes, as the kubelet sends. Each later message is the
 * channel byte and data. The whole socket closes when a pod connection ends (one connection per socket).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError } from '../../api/errors.js';
import type { PodConnector } from './kube-port-forward-spdy.js';

const protocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'portforward.k8s.io'];

/** True when REQ is a WebSocket upgrade asking for a protocol this serves. */
export function isWebSocketPortForward(req: IncomingMessage): boolean {
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return false;
  const asked = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
  return protocols.some((p) => asked.includes(p));
}

/** The ports query parameter (comma-separated, or repeated), each a TCP port number. */
export function forwardPorts(query: URLSearchParams): number[] {
  const raw = query.getAll('ports').flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (raw.length === 0) throw new ApiError('BadRequest', 'query parameter ports: required (the pod\'s TCP ports to connect to, e.g. ports=8080)');
  return raw.map((v) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 1 || n > 65535) throw new ApiError('BadRequest', `query parameter ports: expected TCP port numbers from 1 to 65535, got ${JSON.stringify(v)}`);
    return n;
  });
}

const server = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, handleProtocols: (asked) => protocols.find((p) => asked.has(p)) ?? false });

const portBytes = (ch: number, port: number): Buffer => Buffer.from([ch, port & 0xff, port >> 8]);

/** Handshake, connect every port, then relay channels until either side ends. Authorization ran before. */
export async function serveWebSocketPortForward(req: IncomingMessage, socket: Duplex, ports: number[], connect: PodConnector): Promise<void> {
  const ws = await new Promise<WebSocket>((resolve) => server.handleUpgrade(req, socket, Buffer.alloc(0), resolve));
  ws.on('error', () => undefined);
  ws.pause();
  ports.forEach((port, i) => { ws.send(portBytes(2 * i, port)); ws.send(portBytes(2 * i + 1, port)); });
  const conns: (Duplex | undefined)[] = [];
  const closeAll = (): void => { for (const c of conns) c?.destroy(); if (ws.readyState === ws.OPEN) ws.close(1000); };
  ws.on('close', closeAll);
  await Promise.all(ports.map(async (port, i) => {
    try {
      const conn = await connect(port);
      conns[i] = conn;
      conn.on('error', () => closeAll());
      conn.on('data', (d: Buffer) => { if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([2 * i]), d])); });
      conn.on('close', closeAll);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([2 * i + 1]), Buffer.from(`error forwarding port ${port}: ${message}`)]));
    }
  }));
  if (ws.readyState !== ws.OPEN) { closeAll(); return; }
  ws.on('message', (raw: Buffer) => {
    const ch = raw[0];
    if (ch === undefined || ch % 2 !== 0) return;
    conns[ch / 2]?.write(raw.subarray(1));
  });
  ws.resume();
}
