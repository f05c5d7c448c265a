/** Docker's wire conventions: JSON bodies, `{"message"}` errors, and the 8-byte multiplexed stream frames. */
import type http from 'node:http';
import { ApiError } from '../../api/errors.js';

/** An error with the HTTP status Docker answers it with (404 No such container, 409 conflict ...). */
export class DockerError extends Error {
  constructor(readonly status: number, message: string) { super(message); this.name = 'DockerError'; }
}

/** JSON bodies larger than this are refused (a create body is a few KiB). */
const MAX_BODY = 1 << 20;

/** Send a JSON answer. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The status and message Docker's clients expect for an error of ours or of the API. */
export function errorAnswer(e: unknown): { status: number; message: string } {
  if (e instanceof DockerError) return { status: e.status, message: e.message };
  if (e instanceof ApiError) {
    const status = e.code === 'Invalid' ? 400 : e.code === 'AlreadyExists' ? 409 : e.status;
    return { status, message: e.message };
  }
  return { status: 500, message: e instanceof Error ? e.message : String(e) };
}

/** Answer an error as `{"message": ...}`, unless headers went out already (then the stream just ends). */
export function sendError(res: http.ServerResponse, e: unknown): void {
  const { status, message } = errorAnswer(e);
  if (res.headersSent) { res.destroy(); return; }
  sendJson(res, status, { message });
}

/** Read a JSON request body (empty: undefined), bounded. */
export async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new DockerError(413, `request body larger than ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  return parseJsonBody(Buffer.concat(chunks));
}

/** Parse a body that must be a JSON object (or nothing). */
export function parseJsonBody(buf: Buffer): Record<string, unknown> | undefined {
  if (buf.length === 0) return undefined;
  let v: unknown;
  try { v = JSON.parse(buf.toString('utf8')); } catch (e) { throw new DockerError(400, `invalid JSON body: ${(e as Error).message}`); }
  if (v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new DockerError(400, 'the request body must be a JSON object');
  return v as Record<string, unknown>;
}

/** Docker's stream numbers in a multiplexed frame. */
export const StreamType = { stdin: 0, stdout: 1, stderr: 2 } as const;

/** One frame of `application/vnd.docker.multiplexed-stream`: [type, 0, 0, 0, size (BE u32)] + payload. */
export function frame(type: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head[0] = type;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

/** A query flag as Docker's clients send them: 1/true/True. */
export function queryBool(q: URLSearchParams, name: string, dflt = false): boolean {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  return v === '1' || v.toLowerCase() === 'true';
}

/** Read and drop a stream nobody wants (an exec's unattached output); its errors are not ours to raise. */
export function discard(s: NodeJS.ReadableStream | undefined): void {
  if (!s) return;
  s.on('error', () => undefined);
  s.resume();
}
