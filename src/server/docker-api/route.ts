/** The shape of one Docker API route handler. */
import type http from 'node:http';
import type { Readable } from 'node:stream';
import type { DockerApiContext } from './context.js';

/** A hijacked (or plainly streamed) connection: Docker's attach and exec start. */
export interface StreamOut {
  write(chunk: Buffer): void;
  end(): void;
  /** What the client sends after the upgrade (stdin); undefined on a plain response. */
  input: Readable | undefined;
}

/** What a handler gets: the path's captured parts and the query. */
export interface DockerRequest {
  ctx: DockerApiContext;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  params: string[];
  query: URLSearchParams;
  /** Aborts when the client hangs up (waits and follows stop then). */
  signal: AbortSignal;
  /** The JSON body (bounded), read once. */
  body(): Promise<Record<string, unknown> | undefined>;
  /** Answer 101 UPGRADED (a hijack request) or 200, with this content type, and stream from then on. */
  stream(contentType: string): StreamOut;
}

/** A handler; a throw becomes Docker's `{"message"}` error answer. */
export type DockerHandler = (r: DockerRequest) => Promise<void>;

/** One route: method, path pattern (after the optional /vX.Y prefix), handler. */
export interface DockerRoute { method: string; pattern: RegExp; handler: DockerHandler }
