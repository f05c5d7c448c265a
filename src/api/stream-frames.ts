/**
 * Framing for exec and attach streams over an upgraded HTTP connection:
 * [channel: u8][length: u32 big-endian][payload]. Pure, shared by the server and lcctl.
 */
export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  /** JSON {exitCode} then the stream ends. */
  exit: 3,
  /** JSON {cols, rows}. */
  resize: 4,
  /** Empty: the client's stdin reached EOF. */
  stdinEnd: 5,
  /** JSON {message}: the exec failed to start. */
  error: 6,
} as const;

export function encodeFrame(channel: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(5);
  header.writeUInt8(channel, 0);
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

/** Accumulates bytes and yields whole frames. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): { channel: number; payload: Buffer }[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: { channel: number; payload: Buffer }[] = [];
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt32BE(1);
      if (this.buf.length < 5 + len) break;
      out.push({ channel: this.buf.readUInt8(0), payload: this.buf.subarray(5, 5 + len) });
      this.buf = this.buf.subarray(5 + len);
    }
    return out;
  }
}
