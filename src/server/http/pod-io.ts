import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiClient } from '../../client/types.js';
import type { Pod } from '../../api/pod.js';
import { ApiError } from '../../api/errors.js';
import { Channel, FrameDecoder, encodeFrame } from '../../api/stream-frames.js';
import type { NodeRegistry } from '../node-registry.js';
import type { NodeServices, PodExecSession } from '../../api/node-services.js';
import { sendJson } from './respond.js';
import { clientGone } from './upgraded.js';
import { parseJsonBounded } from '../../api/bounded-parse.js';

/** The node services of the node a pod is bound to. */
export async function podNode(api: ApiClient, nodes: NodeRegistry, ns: string, name: string): Promise<{ pod: Pod; node: NodeServices }> {
  const pod = await api.get<Pod>('pods', name, ns);
  if (!pod.spec.nodeName) throw new ApiError('BadRequest', `pod "${name}" is not scheduled to a node yet`);
  return { pod, node: nodes.get(pod.spec.nodeName) };
}

function optInt(query: URLSearchParams, key: string): number | undefined {
  const v = query.get(key);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ApiError('BadRequest', `query parameter ${key}: expected a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

/** GET .../pods/NAME/log: stream the container's log from its node. */
export async function servePodLog(api: ApiClient, nodes: NodeRegistry, req: IncomingMessage, res: ServerResponse, ns: string, name: string, query: URLSearchParams): Promise<void> {
  const { node } = await podNode(api, nodes, ns, name);
  // Listen before asking the node: a client gone while a follow waits for its container stops the wait.
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const stream = await node.podLogs(ns, name, {
    container: query.get('container') ?? undefined,
    follow: query.get('follow') === 'true' || query.get('follow') === '1',
    tailLines: optInt(query, 'tailLines'),
    timestamps: query.get('timestamps') === 'true' || query.get('timestamps') === '1',
    sinceSeconds: optInt(query, 'sinceSeconds'),
    previous: query.get('previous') === 'true',
    stream: parseStream(query.get('stream')),
  }, abort.signal);
  stream.on('error', () => res.end());
  // Gone already: 'close' has fired and will not again, so the stream (a follow polls for ever) goes now.
  if (res.destroyed) { stream.destroy(); return; }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

/** GET .../pods/NAME/stats: current CPU and memory of each container. */
export async function servePodStats(api: ApiClient, nodes: NodeRegistry, res: ServerResponse, ns: string, name: string): Promise<void> {
  const { node } = await podNode(api, nodes, ns, name);
  sendJson(res, 200, { containers: await node.podStats(ns, name) });
}

/**
 * POST .../pods/NAME/exec with "Upgrade: lantern-stream": after 101 the connection carries frames
 * (api/stream-frames.ts) both ways until the process exits.
 */
export async function servePodExec(api: ApiClient, nodes: NodeRegistry, req: IncomingMessage, socket: Duplex, ns: string, name: string, query: URLSearchParams, mode: 'exec' | 'attach' = 'exec'): Promise<void> {
  const { node } = await podNode(api, nodes, ns, name);
  const size = query.get('cols') && query.get('rows') ? { cols: Number(query.get('cols')), rows: Number(query.get('rows')) } : undefined;
  const common = { container: query.get('container') ?? undefined, stdin: query.get('stdin') === 'true', tty: query.get('tty') === 'true', size };
  let session: PodExecSession;
  if (mode === 'attach') {
    session = await node.podAttach(ns, name, common);
  } else {
    const command = query.getAll('command');
    if (command.length === 0) throw new ApiError('BadRequest', 'query parameter command: required (repeat it once per argument)');
    session = await node.podExec(ns, name, {
      ...common,
      command,
      env: query.getAll('env'),
      user: query.get('user') ?? undefined,
      workingDir: query.get('workingDir') ?? undefined,
    });
  }
  serveSession(socket, session);
}

/**
 * Relay a started exec or attach session over the upgraded connection. A client that hung up while
 * the session was being started gets it killed at once: its 'close' has already fired.
 */
function serveSession(socket: Duplex, session: PodExecSession): void {
  // Nothing may go unheard: output or input that fails after a hang-up just ends the session.
  for (const s of [session.stdin, session.stdout, session.stderr]) s?.on('error', () => undefined);
  // How it ended, as the last frame: the exit status, or why the session failed.
  const ending = session.exit.then((exitCode) => encodeFrame(Channel.exit, JSON.stringify({ exitCode })), (e: unknown) => encodeFrame(Channel.error, JSON.stringify({ message: e instanceof Error ? e.message : String(e) })));
  if (clientGone(socket)) {
    socket.destroy();
    session.kill();
    // Read the outputs to their end, so their pipes close as the process goes.
    session.stdout.resume();
    session.stderr?.resume();
    return;
  }
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: lantern-stream\r\nConnection: Upgrade\r\n\r\n');
  const decoder = new FrameDecoder();
  const stdin = session.stdin;
  socket.on('data', (chunk: Buffer) => {
    for (const f of decoder.push(chunk)) {
      if (f.channel === Channel.stdin) { if (stdin && !stdin.writableEnded) stdin.write(f.payload); }
      else if (f.channel === Channel.stdinEnd) { if (stdin && !stdin.writableEnded) stdin.end(); }
      else if (f.channel === Channel.resize) {
        try { session.resize(parseJsonBounded(f.payload.toString(), 'resize frame') as { cols: number; rows: number }); } catch { /* ignore a bad resize */ }
      }
    }
  });
  socket.on('close', () => { session.kill(); session.stdout.resume(); session.stderr?.resume(); });
  // End of input is a stdinEnd frame; a FIN means the client is gone (lcctl never half-closes). A
  // closed peer that we never write to again would otherwise leave the process running for ever.
  socket.on('end', () => socket.destroy());
  const pump = (stream: NodeJS.ReadableStream | undefined, channel: number): Promise<void> => new Promise((resolve) => {
    if (!stream) { resolve(); return; }
    stream.on('data', (d: Buffer) => {
      if (clientGone(socket)) return;
      // A client that reads slowly slows the process down rather than filling the server's memory.
      if (!socket.write(encodeFrame(channel, d))) { stream.pause(); socket.once('drain', () => stream.resume()); }
    });
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  const outputs = Promise.all([pump(session.stdout, Channel.stdout), pump(session.stderr, Channel.stderr)]);
  void ending.then(async (last) => {
    // Give the output pipes a moment to drain after the process ended.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([outputs, new Promise((r) => { timer = setTimeout(r, 2000); })]);
    clearTimeout(timer);
    if (!clientGone(socket)) socket.end(last);
  });
}

function parseStream(v: string | null): 'All' | 'Stdout' | 'Stderr' | undefined {
  if (v === null) return undefined;
  if (v === 'All' || v === 'Stdout' || v === 'Stderr') return v;
  throw new ApiError('BadRequest', `query parameter stream: expected All, Stdout or Stderr, got ${JSON.stringify(v)}`);
}
