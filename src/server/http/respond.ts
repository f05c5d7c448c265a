import type { ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Turn any thrown value into the catalogue's JSON error body; unknown errors become 500. */
export function sendError(res: ServerResponse, err: unknown): void {
  // The client hung up (mid-upload, say: the handler then fails with "aborted"): no one to answer, and
  // not a server fault to log with a stack.
  // A keep-alive or pipelined answer waits, with no socket yet, while the one before it finishes:
  // that is no hang-up (destroying it would cut the connection and both answers), so ask the request's.
  if (res.destroyed || res.req.socket.destroyed) { res.destroy(); return; }
  const apiErr = err instanceof ApiError ? err : new ApiError('Internal', `internal error: ${err instanceof Error ? err.message : String(err)}`);
  if (!(err instanceof ApiError)) console.error('lanternd: internal error:', err);
  if (res.headersSent) { res.destroy(); return; }
  const retry = apiErr.details?.retryAfterSeconds;
  if (retry !== undefined) res.setHeader('retry-after', String(retry));
  sendJson(res, apiErr.status, apiErr.toBody());
}
