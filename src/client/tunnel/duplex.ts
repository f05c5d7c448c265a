import { Duplex } from 'node:stream';
import { FrameType } from './frames.js';
import type { TunnelStream } from './mux.js';

/**
 * One tunnel stream as a plain byte stream (port-forward): DATA frames both ways, END = half-close,
 * RESET = the other end failed. The stream is forgotten once both directions ended, reset when
 * destroyed before that. Like the rest of the tunnel, incoming data is not windowed: a slow reader
 * buffers here rather than stalling the connection's other streams.
 */
export class TunnelDuplex extends Duplex {
  private gotEnd = false;
  private sentEnd = false;

  constructor(private readonly stream: TunnelStream) {
    super({ allowHalfOpen: true });
    stream.onFrame = (type, payload) => {
      if (type === FrameType.data && !this.gotEnd) this.push(payload);
      else if (type === FrameType.end && !this.gotEnd) { this.gotEnd = true; this.push(null); }
    };
    stream.onGone = (reason) => { this.destroy(new Error(`the forwarded connection was reset: ${reason}`)); };
  }

  override _read(): void { /* frames are pushed as they arrive */ }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.stream.send(FrameType.data, chunk)) cb();
    else void this.stream.mux.drained().then(() => cb());
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.stream.send(FrameType.end);
    this.sentEnd = true;
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (this.gotEnd && this.sentEnd && !err) this.stream.forget();
    else this.stream.reset();
    cb(err);
  }
}
