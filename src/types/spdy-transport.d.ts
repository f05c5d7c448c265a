/** The part of spdy-transport (SPDY/3.1 framing, node-spdy's core) that Kubernetes' port-forward server uses. */
declare module 'spdy-transport' {
  import type { Duplex } from 'node:stream';
  /** One SPDY stream: a duplex with the SYN_STREAM's headers; respond() sends the SYN_REPLY. */
  export interface SpdyStream extends Duplex {
    headers: Record<string, string | undefined>;
    respond(status: number, headers: Record<string, string>, callback?: () => void): void;
  }
  /** The parser the connection reads frames with (its header-block decoder is patched: see kube-port-forward-spdy.ts). */
  export interface SpdyParser {
    parseKVs(body: unknown, callback: (err: Error | null, headers?: Record<string, string | undefined>) => void): void;
  }
  /** A SPDY session over one duplex. */
  export interface SpdyConnection {
    start(version: number): void;
    end(callback?: () => void): void;
    destroyStreams(err?: Error): void;
    on(event: 'stream', listener: (stream: SpdyStream) => void): this;
    on(event: 'error' | 'close', listener: (err?: Error) => void): this;
    _spdyState: { parser: SpdyParser };
  }
  export const connection: { create(socket: Duplex, options: { protocol: 'spdy' | 'http2'; isServer: boolean }): SpdyConnection };
  const transport: { connection: typeof connection };
  export default transport;
}
