/**
 * Port-forward plumbing shared by lcctl and the server: one upgraded HTTP connection carries one
 * forwarded TCP connection as frames (api/stream-frames.ts encoding), so a half-close and an error
 * message survive proxies and TLS, which plain socket half-close does not reliably do.
 *
 *   lcctl local socket <--splice--> FramedDuplex ==frames==> server FramedDuplex <--splice--> pod connection
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { FrameDecoder, encodeFrame } from '../api/stream-frames.js';
import { parseJsonBounded } from '../api/bounded-parse.js';

/** Frame channels of a port-forward connection; the same in both directions. */
export const PortForwardChannel = {
  /** Bytes of the forwarded connection. */
  data: 0,
  /** Empty: the sender will send no more bytes (TCP half-close). */
  end: 1,
  /** JSON {message}: the connection failed (a reset); the sender closes the socket after it. */
  error: 2,
} as const;

/** The path of a pod's port-forward upgrade. */
export function portForwardPath(namespace: string, pod: string, port: number): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward?port=${port}`;
}

/** A framed upgraded socket seen as the plain byte stream it carries, half-close included. */
export class FramedDuplex extends Duplex {
  private readonly decoder = new FrameDecoder();
  private remoteEnded = false;

  constructor(private readonly socket: Duplex, head?: Buffer) {
    super({ allowHalfOpen: true });
    if (head && head.length > 0) this.onFrames(head);
    socket.on('data', (chunk: Buffer) => this.onFrames(chunk));
    socket.on('error', (e: Error) => this.destroy(e));
    // Half-close travels as an end frame: a FIN before the peer's end frame means the peer is gone
    // (a server that never writes again would otherwise hold the pod connection for ever).
    socket.on('end', () => { if (!this.destroyed && !this.remoteEnded) this.destroy(new Error('the connection was closed before the forwarded connection ended')); });
    socket.on('close', () => {
      if (!this.destroyed && !(this.remoteEnded && this.writableFinished)) this.destroy(new Error('the connection closed before the forwarded connection ended'));
    });
  }

  private onFrames(chunk: Buffer): void {
    for (const f of this.decoder.push(chunk)) {
      if (this.destroyed) return;
      if (f.channel === PortForwardChannel.data) {
        if (!this.remoteEnded && !this.push(f.payload)) this.socket.pause();
      } else if (f.channel === PortForwardChannel.end) {
        if (!this.remoteEnded) { this.remoteEnded = true; this.push(null); }
      } else if (f.channel === PortForwardChannel.error) {
        this.remoteEnded = true;
        this.destroy(new RemoteError(errorMessage(f.payload)));
      }
    }
  }

  override _read(): void { this.socket.resume(); }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.socket.write(encodeFrame(PortForwardChannel.data, chunk))) cb();
    else this.socket.once('drain', () => cb());
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.socket.write(encodeFrame(PortForwardChannel.end, Buffer.alloc(0)));
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    // Tell the peer why, unless the failure came from the peer itself.
    if (err && !(err instanceof RemoteError) && this.socket.writable) this.socket.end(encodeFrame(PortForwardChannel.error, JSON.stringify({ message: err.message })));
    else if (this.socket.writable) this.socket.end();
    cb(err);
  }
}

/** An error the other end reported in an error frame. */
export class RemoteError extends Error {
  override name = 'RemoteError';
}

function errorMessage(payload: Buffer): string {
  try {
    const v = parseJsonBounded(payload.toString('utf8'), 'error frame') as { message?: unknown };
    if (typeof v.message === 'string') return v.message;
  } catch { /* not JSON */ }
  return payload.toString('utf8') || 'the forwarded connection failed';
}

/** Drop a stream because of a failure: a TCP socket is reset (RST), so its peer sees an error too. */
export function abortStream(s: Duplex, err?: Error): void {
  if (s.destroyed) return;
  const sock = s as Partial<Socket>;
  if (typeof sock.resetAndDestroy === 'function' && sock.connecting === false) sock.resetAndDestroy();
  else s.destroy(err);
}

/**
 * Copy two byte streams into each other: the end of one half-closes the other; an error on either
 * aborts both. onError hears the first failure (for a message).
 */
export function splice(a: Duplex, b: Duplex, onError?: (e: Error) => void): void {
  let failed = false;
  const fail = (e: Error): void => {
    if (failed) return;
    failed = true;
    onError?.(e);
    abortStream(a, e);
    abortStream(b, e);
  };
  a.on('error', fail);
  b.on('error', fail);
  // A stream closed before both its directions ended was dropped, not finished.
  for (const s of [a, b]) {
    s.on('close', () => { if (!(s.readableEnded && s.writableFinished)) fail(new Error('the connection closed early')); });
  }
  a.pipe(b);
  b.pipe(a);
}
