/**
 * The agent tunnel's wire format: many streams over one upgraded connection.
 * Each frame is [streamId: u32 BE][type: u8][length: u32 BE][payload]. Pure: no I/O.
 */
export const FrameType = {
  /** JSON {method, args}: start a call on a new stream (sent by the server). */
  open: 1,
  /** Bytes; in exec/attach the first payload byte is the sub-channel (0 stdin, 1 stdout, 2 stderr). */
  data: 2,
  /** Half-close; in exec/attach one payload byte names the sub-channel that ended. */
  end: 3,
  /** JSON {value} or {error: {code, message}}: the call's answer (or its exit for exec/attach). */
  result: 4,
  /** Either side drops the stream: the other forgets it and stops its work. */
  reset: 5,
  /** JSON {cols, rows} for a terminal. */
  resize: 6,
} as const;

/** One decoded frame. */
export interface TunnelFrame { stream: number; type: number; payload: Buffer }

/** The largest payload accepted; a bigger length means a corrupt or hostile peer. */
export const maxPayload = 16 * 1024 * 1024;

const headerBytes = 9;

/** Encode one frame. */
export function encodeTunnelFrame(stream: number, type: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(headerBytes);
  header.writeUInt32BE(stream >>> 0, 0);
  header.writeUInt8(type, 4);
  header.writeUInt32BE(body.length, 5);
  return Buffer.concat([header, body]);
}

/** Accumulates bytes and yields whole frames; throws on a frame larger than maxPayload. */
export class TunnelFrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): TunnelFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: TunnelFrame[] = [];
    while (this.buf.length >= headerBytes) {
      const len = this.buf.readUInt32BE(5);
      if (len > maxPayload) throw new Error(`tunnel frame of ${len} bytes exceeds the ${maxPayload}-byte limit`);
      if (this.buf.length < headerBytes + len) break;
      out.push({ stream: this.buf.readUInt32BE(0), type: this.buf.readUInt8(4), payload: this.buf.subarray(headerBytes, headerBytes + len) });
      this.buf = this.buf.subarray(headerBytes + len);
    }
    return out;
  }
}

/** The JSON body of a RESULT frame. */
export type TunnelResult = { value: unknown } | { error: { code: string; message: string } };
