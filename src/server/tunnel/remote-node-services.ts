import { PassThrough, Writable, type Duplex, type Readable } from 'node:stream';
import { ApiError, ErrorCodes, type ErrorCode } from '../../api/errors.js';
import type { ContainerUsage, ImageBuildOptions, ImageRemoval, ImageSummary, LogOptions, NodeServices, PodAttachOptions, PodExecOptions, PodExecSession } from '../../api/node-services.js';
import { FrameType, type TunnelResult } from '../../client/tunnel/frames.js';
import type { TunnelMux, TunnelStream } from '../../client/tunnel/mux.js';
import { ExecChannel, pump } from '../../client/tunnel/serve.js';
import { TunnelDuplex } from '../../client/tunnel/duplex.js';
import type { ImageInspect, ImagePruneReport } from '../../api/image-inspect.js';
import type { ImagePullOptions, ImagePushOptions, ImagePushResult, ImageProgress } from '../../api/image-transfer.js';
import { parseJsonBounded } from '../../api/bounded-parse.js';

function parseResult(payload: Buffer): TunnelResult {
  try { return parseJsonBounded(payload.toString('utf8'), 'RESULT frame') as TunnelResult; } catch { return { error: { code: 'Internal', message: 'the agent sent a malformed RESULT frame' } }; }
}

function toError(r: { error: { code: string; message: string } }): ApiError {
  // The tunnel's RESULT frame carries the catalogue code itself (agent and server are one code base).
  return new ApiError(r.error.code in ErrorCodes ? r.error.code as ErrorCode : 'Internal', r.error.message);
}

/**
 * A stream the tunnel may fail (destroy with an error) before its reader listens: the reader still
 * hears the error, but one with no listener yet must not be an uncaught exception.
 */
function quiet<T extends PassThrough>(s: T): T {
  s.on('error', () => undefined);
  return s;
}

/** The NodeServices of a remote agent, reached through the tunnel it dialled to this server. */
export class RemoteNodeServices implements NodeServices {
  constructor(private readonly mux: TunnelMux, private readonly node: string) {}

  private lost(reason: string): ApiError {
    return new ApiError('Unavailable', `node "${this.node}" disconnected from this server (${reason}): check its agent and retry`);
  }

  /** Open a stream and wait for its first RESULT; later frames go to after(). */
  private start(method: string, args: unknown[], after?: (s: TunnelStream) => void): Promise<{ stream: TunnelStream; value: unknown }> {
    return new Promise((resolve, reject) => {
      const s = this.mux.open(method, args);
      s.onGone = (reason) => reject(this.lost(reason));
      s.onFrame = (type, payload) => {
        if (type !== FrameType.result) return;
        const r = parseResult(payload);
        if ('error' in r) { s.forget(); reject(toError(r)); return; }
        after?.(s);
        resolve({ stream: s, value: r.value });
      };
    });
  }

  private async call<T>(method: string, args: unknown[]): Promise<T> {
    const { stream, value } = await this.start(method, args);
    stream.forget();
    return value as T;
  }

  async podLogs(namespace: string, pod: string, opts: LogOptions, signal: AbortSignal): Promise<Readable> {
    // A RESET in the same chunk as the RESULT destroys it before the caller can listen.
    const out = quiet(new PassThrough());
    const { stream } = await this.start('podLogs', [namespace, pod, opts], (s) => {
      s.onFrame = (type, payload) => {
        // A node that sends on after END (or after the reader went) is ignored, not written to an ended stream.
        if (out.writableEnded || out.destroyed) return;
        if (type === FrameType.data) out.write(payload);
        else if (type === FrameType.end) { s.forget(); out.end(); }
      };
      s.onGone = (reason) => out.destroy(this.lost(reason));
    });
    const stop = (): void => stream.reset();
    if (signal.aborted) stop(); else signal.addEventListener('abort', stop, { once: true });
    out.on('close', stop);
    return out;
  }

  podExec(namespace: string, pod: string, opts: PodExecOptions): Promise<PodExecSession> { return this.session('podExec', [namespace, pod, opts], opts.stdin); }
  podAttach(namespace: string, pod: string, opts: PodAttachOptions): Promise<PodExecSession> { return this.session('podAttach', [namespace, pod, opts], opts.stdin); }

  private async session(method: string, args: unknown[], withStdin: boolean): Promise<PodExecSession> {
    const stdout = quiet(new PassThrough());
    const stderr = quiet(new PassThrough());
    let settle: (code: number) => void = () => undefined;
    const exit = new Promise<number>((r) => { settle = r; });
    const { stream } = await this.start(method, args, (s) => {
      s.onFrame = (type, payload) => {
        const target = payload[0] === ExecChannel.stderr ? stderr : stdout;
        if ((type === FrameType.data || type === FrameType.end) && (target.writableEnded || target.destroyed)) return;
        if (type === FrameType.data) target.write(payload.subarray(1));
        else if (type === FrameType.end) target.end();
        else if (type === FrameType.result) {
          s.forget();
          const r = parseResult(payload);
          if ('error' in r) stderr.end(`${r.error.message}\n`);
          const code = 'value' in r ? (r.value as { exitCode?: unknown } | null)?.exitCode : undefined;
          settle(typeof code === 'number' ? code : 255);
        }
      };
      s.onGone = (reason) => {
        stdout.end();
        if (!stderr.writableEnded) stderr.end(`lantern: ${this.lost(reason).message}\n`);
        settle(255);
      };
    });
    const stdin = withStdin ? new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        if (stream.send(FrameType.data, Buffer.concat([Buffer.from([ExecChannel.stdin]), chunk]))) cb(); else void this.mux.drained().then(() => cb());
      },
      final: (cb) => { stream.send(FrameType.end, Buffer.from([ExecChannel.stdin])); cb(); },
    }) : undefined;
    return {
      stdin, stdout, stderr, exit,
      resize: (size) => { stream.send(FrameType.resize, JSON.stringify(size)); },
      // The agent kills the process when its stream is reset, and sends nothing more: end here too.
      kill: () => {
        stream.reset();
        if (!stdout.writableEnded) stdout.end();
        if (!stderr.writableEnded) stderr.end();
        settle(137);
      },
    };
  }

  podStats(namespace: string, pod: string): Promise<ContainerUsage[]> { return this.call('podStats', [namespace, pod]); }
  nodeMetrics(): Promise<string> { return this.call('nodeMetrics', []); }

  /** One tunnel stream per forwarded connection, as a byte stream once the agent has connected. */
  async podPortForward(namespace: string, pod: string, port: number): Promise<Duplex> {
    let conn: TunnelDuplex | undefined;
    await this.start('podPortForward', [namespace, pod, port], (s) => { conn = new TunnelDuplex(s); });
    return conn!;
  }
  listImages(): Promise<ImageSummary[]> { return this.call('listImages', []); }
  inspectImage(ref: string): Promise<ImageInspect> { return this.call('inspectImage', [ref]); }
  pruneImages(opts: { all: boolean }): Promise<ImagePruneReport> { return this.call('pruneImages', [opts]); }

  /** The archive as DATA frames; a RESET (the node's export failed) destroys it, so it never looks complete. */
  async exportImages(refs: string[]): Promise<Readable> {
    const out = quiet(new PassThrough());
    const { stream } = await this.start('exportImages', [refs], (s) => {
      s.onFrame = (type, payload) => {
        if (out.writableEnded || out.destroyed) return;
        if (type === FrameType.data) out.write(payload);
        else if (type === FrameType.end) { s.forget(); out.end(); }
      };
      s.onGone = (reason) => out.destroy(this.lost(reason));
    });
    out.on('close', () => { if (!out.writableFinished) stream.reset(); });
    return out;
  }
  removeImage(ref: string): Promise<ImageRemoval> { return this.call('removeImage', [ref]); }
  tagImage(source: string, target: string): Promise<ImageSummary> { return this.call('tagImage', [source, target]); }
  pullImage(ref: string, opts: ImagePullOptions): Promise<ImageSummary> {
    return this.transfer('pullImage', [ref, { platform: opts.platform, auth: opts.auth }], opts);
  }
  pushImage(ref: string, opts: ImagePushOptions): Promise<ImagePushResult> {
    return this.transfer('pushImage', [ref, { auth: opts.auth }], opts);
  }

  /** A pull or push: progress arrives as DATA frames of JSON lines, then one RESULT. */
  private transfer<T>(method: string, args: unknown[], opts: { onProgress?: (p: ImageProgress) => void; signal?: AbortSignal }): Promise<T> {
    return new Promise((resolve, reject) => {
      const s = this.mux.open(method, args);
      let rest = '';
      s.onGone = (reason) => reject(this.lost(reason));
      s.onFrame = (type, payload) => {
        if (type === FrameType.data) {
          const lines = (rest + payload.toString('utf8')).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) { try { opts.onProgress?.(parseJsonBounded(line, 'progress line') as ImageProgress); } catch { /* skip a bad line */ } }
        } else if (type === FrameType.result) {
          s.forget();
          const r = parseResult(payload);
          if ('error' in r) reject(toError(r)); else resolve(r.value as T);
        }
      };
      opts.signal?.addEventListener('abort', () => { s.reset(); reject(new ApiError('Unavailable', `${method} cancelled`)); }, { once: true });
    });
  }

  /** The context goes up as DATA frames while the node's progress text comes back as DATA; the RESULT is the image. */
  buildImage(context: Readable, opts: ImageBuildOptions, progress: (text: string) => void): Promise<ImageSummary> {
    return new Promise((resolve, reject) => {
      const s = this.mux.open('buildImage', [opts]);
      s.onGone = (reason) => { context.destroy(); reject(this.lost(reason)); };
      // An upload cut short (the client hung up) must not reach the node as a whole context.
      context.once('error', (e) => { s.reset(); reject(new ApiError('BadRequest', `the build context upload failed: ${e.message}`)); });
      s.onFrame = (type, payload) => {
        if (type === FrameType.data) { progress(payload.toString('utf8')); return; }
        if (type !== FrameType.result) return;
        s.forget();
        const r = parseResult(payload);
        if ('error' in r) reject(toError(r)); else resolve(r.value as ImageSummary);
      };
      void pump(this.mux, s, context);
    });
  }

  async importImage(archive: Readable, ref?: string): Promise<ImageSummary[]> {
    return new Promise((resolve, reject) => {
      const s = this.mux.open('importImage', [ref ?? null]);
      s.onGone = (reason) => { archive.destroy(); reject(this.lost(reason)); };
      // An upload cut short (the client hung up) must not reach the node as a whole archive.
      archive.once('error', (e) => { s.reset(); reject(new ApiError('BadRequest', `the image archive upload failed: ${e.message}`)); });
      s.onFrame = (type, payload) => {
        if (type !== FrameType.result) return;
        s.forget();
        const r = parseResult(payload);
        if ('error' in r) reject(toError(r)); else resolve(r.value as ImageSummary[]);
      };
      void pump(this.mux, s, archive);
    });
  }
}
