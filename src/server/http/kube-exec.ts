/**
 * Kubernetes' exec and attach over WebSocket (the channel.k8s.io subprotocols kubectl v1.30+ and the
 * client libraries speak), beside lcctl's own framing (pod-io.ts). The handshake completes before the
 * command starts, so a client that falls back to another protocol never runs it twice. Each message is
 * one channel byte and its data: 0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4 resize
 * ({"Width","Height"}), and with v5 a close message [255, channel] (stdin's end).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError } from '../../api/errors.js';
import type { PodExecSession } from '../../api/node-services.js';
import type { ApiClient } from '../../client/types.js';
import type { NodeRegistry } from '../node-registry.js';
import { podNode } from './pod-io.js';

/** The subprotocols served, preferred first. */
const protocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** The channel.k8s.io subprotocol a request asks for, or undefined when it asks for none of them. */
export function kubeStreamProtocol(req: IncomingMessage): string | undefined {
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return undefined;
  const asked = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
  return protocols.find((p) => asked.includes(p));
}

const server = new WebSocketServer({
  noServer: true,
  // Frames carry terminal output: keep one message bounded (ws refuses bigger ones from the client).
  maxPayload: 1024 * 1024,
  handleProtocols: (asked) => protocols.find((p) => asked.has(p)) ?? false,
});

const channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** Kubernetes' final Status of an exec: Success, or NonZeroExitCode with the code as a cause. */
function exitStatus(code: number, command: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function failureStatus(e: unknown): Record<string, unknown> {
  const err = e instanceof ApiError ? e : new ApiError('Internal', e instanceof Error ? e.message : String(e));
  return err.toBody() as unknown as Record<string, unknown>;
}

/** Wire a started session to the WebSocket until it ends; the last message is its Status on channel 3. */
function relay(ws: WebSocket, session: PodExecSession, v5: boolean, command: string[], wanted: { stdout: boolean; stderr: boolean }): void {
  const send = (ch: number, data: Buffer | string): void => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), Buffer.isBuffer(data) ? data : Buffer.from(data)]));
  };
  for (const s of [session.stdin, session.stdout, session.stderr]) s?.on('error', () => undefined);
  const onMessage = (raw: Buffer): void => {
    const ch = raw[0];
    const data = raw.subarray(1);
    if (ch === channel.stdin) { if (session.stdin && !session.stdin.writableEnded) session.stdin.write(data); }
    else if (ch === channel.resize) {
      try {
        const size = JSON.parse(data.toString()) as { Width?: unknown; Height?: unknown };
        if (typeof size.Width === 'number' && typeof size.Height === 'number') session.resize({ cols: size.Width, rows: size.Height });
      } catch { /* a bad resize is ignored, as the kubelet does */ }
    } else if (v5 && ch === channel.close && data[0] === channel.stdin) session.stdin?.end();
  };
  ws.on('message', onMessage);
  ws.resume();
  ws.on('close', () => { session.kill(); session.stdout.resume(); session.stderr?.resume(); });
  ws.on('error', () => undefined);
  // A stream the client did not ask for is read and dropped: the client has no handler for its channel.
  const pump = (stream: NodeJS.ReadableStream | undefined, ch: number, wantedHere: boolean): Promise<void> => new Promise((resolve) => {
    if (!stream) { resolve(); return; }
    stream.on('data', (d: Buffer) => {
      if (!wantedHere) return;
      send(ch, d);
      // A client that reads slowly slows the process down rather than filling the server's memory.
      if (ws.bufferedAmount > 1024 * 1024) { stream.pause(); const t = setInterval(() => { if (ws.bufferedAmount < 256 * 1024 || ws.readyState !== ws.OPEN) { clearInterval(t); stream.resume(); } }, 10); }
    });
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  const outputs = Promise.all([pump(session.stdout, channel.stdout, wanted.stdout), pump(session.stderr, channel.stderr, wanted.stderr)]);
  void session.exit.then((code) => exitStatus(code, command), failureStatus).then(async (status) => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([outputs, new Promise((r) => { timer = setTimeout(r, 2000); })]);
    clearTimeout(timer);
    send(channel.error, JSON.stringify(status));
    ws.close(1000);
  });
}

/**
 * Serve GET .../pods/NAME/exec|attach upgraded to a channel.k8s.io WebSocket: handshake, then start the
 * session (its errors become the Status on channel 3), then relay. Authorization ran before (authorize.ts).
 */
export async function serveKubeExec(api: ApiClient, nodes: NodeRegistry, req: IncomingMessage, socket: Duplex, ns: string, name: string, query: URLSearchParams, mode: 'exec' | 'attach'): Promise<void> {
  const ws = await new Promise<WebSocket>((resolve) => server.handleUpgrade(req, socket, Buffer.alloc(0), resolve));
  // The client may send stdin as soon as the handshake is done: read nothing until the session exists.
  ws.pause();
  const command = query.getAll('command');
  let session: PodExecSession;
  try {
    const { node } = await podNode(api, nodes, ns, name);
    const common = { container: query.get('container') ?? undefined, stdin: query.get('stdin') === 'true' || query.get('stdin') === '1', tty: query.get('tty') === 'true' || query.get('tty') === '1' };
    if (!common.stdin && query.get('stdout') !== 'true' && query.get('stderr') !== 'true') throw new ApiError('BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
    if (mode === 'attach') session = await node.podAttach(ns, name, common);
    else {
      if (command.length === 0) throw new ApiError('BadRequest', 'query parameter command: required (repeat it once per argument)');
      session = await node.podExec(ns, name, { ...common, command, env: [] });
    }
  } catch (e) {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel.error]), Buffer.from(JSON.stringify(failureStatus(e)))]));
    ws.close(1000);
    return;
  }
  if (ws.readyState !== ws.OPEN) { session.kill(); session.stdout.resume(); session.stderr?.resume(); return; }
  const flag = (name: string): boolean => query.get(name) === 'true' || query.get(name) === '1';
  relay(ws, session, ws.protocol === 'v5.channel.k8s.io', command, { stdout: flag('stdout'), stderr: flag('stderr') });
}
