import { PassThrough, type Readable } from 'node:stream';
import type { ImageBuildOptions, NodeServices, PodExecSession } from '../../api/node-services.js';
import type { ImageProgress } from '../../api/image-transfer.js';
import type { RegistryAuth } from '../../api/registry-auth.js';
import { FrameType } from './frames.js';
import type { TunnelMux, TunnelOpen, TunnelStream } from './mux.js';
import { TunnelDuplex } from './duplex.js';
import { abortStream, splice } from '../port-forward.js';
import { parseJsonBounded } from '../../api/bounded-parse.js';

/** Sub-channels of an exec or attach stream (first byte of DATA, the only byte of END). */
export const ExecChannel = { stdin: 0, stdout: 1, stderr: 2 } as const;

function errorResult(e: unknown): { error: { code: string; message: string } } {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err.code === 'string' && /^[A-Z]/.test(err.code) ? err.code : 'Internal';
  return { error: { code, message: typeof err.message === 'string' ? err.message : String(e) } };
}

/** Send a readable as DATA frames (prefixed when channel is given), honouring the connection's back-pressure. */
export async function pump(mux: TunnelMux, s: TunnelStream, src: Readable | undefined, channel?: number): Promise<void> {
  if (src) {
    try {
      for await (const chunk of src as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        const payload = channel === undefined ? bytes : Buffer.concat([Buffer.from([channel]), bytes]);
        if (!s.send(FrameType.data, payload)) await mux.drained();
      }
    } catch { /* a source that fails just ends its channel */ }
  }
  s.send(FrameType.end, channel === undefined ? undefined : Buffer.from([channel]));
}

/**
 * The agent's side of the tunnel: each OPEN calls the node's services. Every call answers a first
 * RESULT (its value, or null for a stream that has started, or an error); logs then send DATA and
 * END; exec and attach relay sub-channels both ways and finish with a second RESULT {exitCode};
 * port-forward relays raw DATA both ways (END = half-close, RESET = failure).
 */
export function serveNodeServices(services: NodeServices): (s: TunnelStream, open: TunnelOpen) => void {
  return (s, open) => {
    void handle(s.mux, services, s, open).catch((e: unknown) => { s.result(errorResult(e)); s.forget(); });
  };
}

async function handle(mux: TunnelMux, services: NodeServices, s: TunnelStream, { method, args }: TunnelOpen): Promise<void> {
  const a = args as [string, string, never];
  switch (method) {
    case 'podLogs': {
      const abort = new AbortController();
      s.onGone = () => abort.abort();
      const stream = await services.podLogs(a[0], a[1], a[2], abort.signal);
      if (abort.signal.aborted) { stream.destroy(); return; }
      s.onGone = () => { abort.abort(); stream.destroy(); };
      s.result({ value: null });
      await pump(mux, s, stream);
      s.forget();
      return;
    }
    case 'podExec':
    case 'podAttach': {
      const session = method === 'podExec' ? await services.podExec(a[0], a[1], a[2]) : await services.podAttach(a[0], a[1], a[2]);
      // The server dropped the stream (its client hung up) while the process was starting: end it now.
      if (s.goneReason !== undefined) { dropSession(session); return; }
      relayExec(mux, s, session);
      return;
    }
    case 'podPortForward': {
      // One stream per forwarded TCP connection; a RESET before the connect finished drops it.
      const tunnel = new TunnelDuplex(s);
      tunnel.on('error', () => undefined);
      const conn = await services.podPortForward(a[0], a[1], Number(args[2]));
      if (tunnel.destroyed) { abortStream(conn); return; }
      s.result({ value: null });
      splice(conn, tunnel);
      return;
    }
    case 'importImage': {
      const value = await services.importImage(upload(s), typeof args[0] === 'string' ? args[0] : undefined);
      s.result({ value });
      s.forget();
      return;
    }
    case 'buildImage': {
      // The context tar comes as DATA frames (END ends it); progress text goes back as DATA, the image as the RESULT.
      if (!services.buildImage) throw Object.assign(new Error('this node has no image builder'), { code: 'BadRequest' });
      const value = await services.buildImage(upload(s), args[0] as ImageBuildOptions, (text) => { s.send(FrameType.data, text); });
      s.result({ value });
      break;
    }
    case 'pullImage':
    case 'pushImage': {
      // Progress goes as DATA frames of JSON lines; the RESULT carries the outcome.
      const abort = new AbortController();
      s.onGone = () => abort.abort();
      const o = (args[1] ?? {}) as { platform?: string; auth?: RegistryAuth };
      const onProgress = (p: ImageProgress): void => { s.send(FrameType.data, `${JSON.stringify(p)}\n`); };
      const value = method === 'pullImage'
        ? await services.pullImage(a[0], { platform: o.platform, auth: o.auth, onProgress, signal: abort.signal })
        : await services.pushImage(a[0], { auth: o.auth, onProgress, signal: abort.signal });
      s.result({ value });
      break;
    }
    case 'exportImages': {
      if (!services.exportImages) throw Object.assign(new Error('this node cannot save images'), { code: 'BadRequest' });
      const archive = await services.exportImages(args[0] as string[]);
      if (s.goneReason !== undefined) { archive.destroy(); return; }
      s.onGone = () => archive.destroy();
      s.result({ value: null });
      try {
        for await (const chunk of archive as AsyncIterable<Buffer>) if (!s.send(FrameType.data, chunk)) await mux.drained();
      } catch {
        s.reset(); // a cut archive must not look complete on the other side
        return;
      }
      s.send(FrameType.end);
      break;
    }
    case 'inspectImage':
      if (!services.inspectImage) throw Object.assign(new Error('this node cannot inspect images'), { code: 'BadRequest' });
      s.result({ value: await services.inspectImage(a[0]) });
      break;
    case 'pruneImages':
      if (!services.pruneImages) throw Object.assign(new Error('this node cannot prune images'), { code: 'BadRequest' });
      s.result({ value: await services.pruneImages(args[0] as { all: boolean }) });
      break;
    case 'tagImage': s.result({ value: await services.tagImage(a[0], a[1]) }); break;
    case 'podStats': s.result({ value: await services.podStats(a[0], a[1]) }); break;
    case 'nodeMetrics':
      if (!services.nodeMetrics) throw Object.assign(new Error('this node does not serve metrics'), { code: 'BadRequest' });
      s.result({ value: await services.nodeMetrics() });
      break;
    case 'listImages': s.result({ value: await services.listImages() }); break;
    case 'removeImage': s.result({ value: await services.removeImage(a[0]) }); break;
    default: s.result({ error: { code: 'BadRequest', message: `the agent does not serve ${method} over its tunnel (a newer server?)` } });
  }
  s.forget();
}

/** The bytes the server sends on s as DATA frames (END ends them; the stream going away destroys them). */
function upload(s: TunnelStream): PassThrough {
  const body = new PassThrough();
  // A reset can come while the node still prepares the work, before anyone reads the body.
  body.on('error', () => undefined);
  s.onFrame = (type, payload) => {
    if (type === FrameType.data) body.write(payload);
    else if (type === FrameType.end) body.end();
  };
  s.onGone = (reason) => body.destroy(new Error(reason));
  return body;
}

/** Kill a session no one listens to any more, reading its outputs to their end so its pipes close. */
function dropSession(session: PodExecSession): void {
  for (const x of [session.stdin, session.stdout, session.stderr]) x?.on('error', () => undefined);
  session.exit.catch(() => undefined);
  session.kill();
  session.stdout.resume();
  session.stderr?.resume();
}

function relayExec(mux: TunnelMux, s: TunnelStream, session: PodExecSession): void {
  s.onFrame = (type, payload) => {
    const stdin = session.stdin;
    // Input after the end of input (a confused or hostile peer) is dropped, not written to an ended stream.
    if (type === FrameType.data && payload[0] === ExecChannel.stdin) { if (stdin && !stdin.writableEnded) stdin.write(payload.subarray(1)); }
    else if (type === FrameType.end) { if (stdin && !stdin.writableEnded) stdin.end(); }
    else if (type === FrameType.resize) {
      try { session.resize(parseJsonBounded(payload.toString('utf8'), 'resize frame') as { cols: number; rows: number }); } catch { /* ignore a bad resize */ }
    }
  };
  s.onGone = () => session.kill();
  session.stdin?.on('error', () => undefined);
  s.result({ value: null });
  const outputs = Promise.all([pump(mux, s, session.stdout, ExecChannel.stdout), pump(mux, s, session.stderr, ExecChannel.stderr)]);
  void session.exit.then(async (exitCode) => {
    // Let the output pipes drain after the process ended, as pod-io does.
    await Promise.race([outputs, new Promise((r) => setTimeout(r, 2000))]);
    s.result({ value: { exitCode } });
    s.forget();
  }, (e: unknown) => { s.result(errorResult(e)); s.forget(); });
}
