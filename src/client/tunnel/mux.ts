import type { Duplex } from 'node:stream';
import { FrameType, TunnelFrameDecoder, encodeTunnelFrame, type TunnelResult } from './frames.js';
import { parseJsonBounded } from '../../api/bounded-parse.js';

/** The body of an OPEN frame. */
export interface TunnelOpen { method: string; args: unknown[] }

/** One stream of a tunnel, as either end sees it. */
export class TunnelStream {
  /** Frames other than OPEN that arrive for this stream. */
  onFrame: (type: number, payload: Buffer) => void = () => undefined;
  /** Called once when the stream is reset by the peer or the connection drops. */
  onGone: (reason: string) => void = () => undefined;
  /**
   * Why the stream is gone, once it is: a handler that was still awaiting its work when the reset
   * came (its onGone not yet set) checks this afterwards and drops what it started.
   */
  goneReason: string | undefined;
  constructor(readonly id: number, readonly mux: TunnelMux) {}

  /** Send a frame; false when the connection's buffer is full (wait for mux.drained()). */
  send(type: number, payload?: Buffer | string): boolean { return this.mux.send(this.id, type, payload); }
  /** Send a RESULT frame. */
  result(r: TunnelResult): boolean { return this.send(FrameType.result, JSON.stringify(r)); }
  /** Forget the stream locally (after its last frame). */
  forget(): void { this.mux.forget(this.id); }
  /** Tell the peer to drop the stream, and forget it. */
  reset(): void { if (this.mux.has(this.id)) { this.send(FrameType.reset); this.forget(); } }
}

/**
 * Multiplexes streams over one connection. Flow control is the connection's own: senders stop when
 * send() returns false and resume at drained(); what arrives is handed on at once (receivers buffer).
 */
export class TunnelMux {
  private readonly streams = new Map<number, TunnelStream>();
  private readonly decoder = new TunnelFrameDecoder();
  private nextId = 1;
  private closedReason: string | undefined;
  private readonly closeListeners: ((reason: string) => void)[] = [];

  constructor(private readonly socket: Duplex, private readonly onOpen?: (stream: TunnelStream, open: TunnelOpen) => void) {
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try { frames = this.decoder.push(chunk); } catch (e) { this.close(`bad frame: ${(e as Error).message}`); return; }
      for (const f of frames) {
        // A handler that throws fails its own stream, not the connection or the process.
        try { this.dispatch(f.stream, f.type, f.payload); } catch (e) { this.fail(f.stream, e); }
      }
    });
    socket.on('close', () => this.close('the connection closed'));
    socket.on('end', () => this.close('the peer ended the connection'));
    socket.on('error', (e: Error) => this.close(`connection error: ${e.message}`));
  }

  get closed(): boolean { return this.closedReason !== undefined; }

  /** Start a stream with an OPEN frame. */
  open(method: string, args: unknown[]): TunnelStream {
    const s = new TunnelStream(this.nextId, this);
    this.nextId += 2;
    this.streams.set(s.id, s);
    if (this.closed) queueMicrotask(() => this.gone(s, this.closedReason ?? 'closed'));
    else this.send(s.id, FrameType.open, JSON.stringify({ method, args }));
    return s;
  }

  send(id: number, type: number, payload?: Buffer | string): boolean {
    if (this.closed) return true;
    return this.socket.write(encodeTunnelFrame(id, type, payload));
  }

  has(id: number): boolean { return this.streams.has(id); }
  forget(id: number): void { this.streams.delete(id); }

  /** Resolves once the connection can take more (at once when it can). */
  drained(): Promise<void> {
    if (this.closed || !this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => { this.socket.off('drain', done); this.socket.off('close', done); resolve(); };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  /** Called once when the connection ends. */
  onClose(cb: (reason: string) => void): void { this.closeListeners.push(cb); }

  /** End the connection and fail every stream. */
  close(reason = 'closed locally'): void {
    if (this.closed) return;
    this.closedReason = reason;
    this.socket.destroy();
    for (const s of [...this.streams.values()]) this.gone(s, reason);
    for (const cb of this.closeListeners) cb(reason);
  }

  private fail(id: number, e: unknown): void {
    const s = this.streams.get(id);
    if (s) { s.reset(); this.gone(s, `a frame could not be handled: ${e instanceof Error ? e.message : String(e)}`); }
  }

  private gone(s: TunnelStream, reason: string): void {
    this.streams.delete(s.id);
    s.goneReason ??= reason;
    try { s.onGone(reason); } catch { /* a listener's failure must not stop the others */ }
  }

  private dispatch(id: number, type: number, payload: Buffer): void {
    if (type === FrameType.open) {
      if (!this.onOpen || this.streams.has(id)) { this.send(id, FrameType.reset); return; }
      let open: TunnelOpen;
      try { open = parseJsonBounded(payload.toString('utf8'), 'OPEN frame') as TunnelOpen; } catch { this.send(id, FrameType.reset); return; }
      const s = new TunnelStream(id, this);
      this.streams.set(id, s);
      this.onOpen(s, { method: String(open.method), args: Array.isArray(open.args) ? open.args : [] });
      return;
    }
    const s = this.streams.get(id);
    if (!s) return; // a late frame for a stream already dropped
    if (type === FrameType.reset) { this.gone(s, 'the peer reset the stream'); return; }
    s.onFrame(type, payload);
  }
}
