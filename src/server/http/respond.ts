import type { ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Turn any thrown value into the catalogue's JSON error body; unknown errors become 500. */
export function sendError(res: ServerResponse, err: unknown): void {
  const apiErr = err instanceof ApiError ? err : new ApiError('Internal', `internal error: ${err instanceof Error ? err.message : String(err)}`);
  if (!(err instanceof ApiError)) console.error('lanternd: internal error:', err);
  if (res.headersSent) { res.destroy(); return; }
  sendJson(res, apiErr.status, apiErr.toBody());
}
