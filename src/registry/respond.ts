import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError } from './errors.js';

/** Headers every registry answer carries (Docker checks the API version on /v2/). */
export const baseHeaders = { 'docker-distribution-api-version': 'registry/2.0' } as const;

/** End a response with no body. */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { ...baseHeaders, 'content-length': 0, ...headers });
  res.end();
}

/** Send JSON (HEAD gets the headers only). */
export function sendJsonBody(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...baseHeaders, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** Read a whole request body of at most `limit` bytes (413 SIZE_INVALID beyond). */
export async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RegistryError('SIZE_INVALID', `body is larger than ${limit} bytes`, { limit }, 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parse `n` and `last` of a paginated list and cut the page; the Link header points at the next one. */
export function paginate(all: string[], params: URLSearchParams, base: string): { items: string[]; link?: string } {
  const nText = params.get('n');
  const last = params.get('last');
  const n = nText === null ? undefined : Number(nText);
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new RegistryError('UNSUPPORTED', `invalid n "${nText}": expected a count >= 0`, null, 400);
  const after = last === null ? all : all.filter((t) => t > last);
  if (n === undefined) return { items: after };
  const items = after.slice(0, n);
  if (n === 0 || after.length <= n) return { items };
  const next = new URLSearchParams({ n: String(n), last: items[items.length - 1]! });
  return { items, link: `<${base}?${next.toString()}>; rel="next"` };
}
