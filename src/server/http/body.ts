import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';

const limit = 3 * 1024 * 1024;

/** Read and parse a JSON (or, with a YAML content type, YAML) request body. */
export async function readObject(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError('PayloadTooLarge', `request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ApiError('BadRequest', 'request body is empty: expected an object');
  const type = req.headers['content-type'] ?? 'application/json';
  if (/yaml/.test(type)) {
    const { parse } = await import('yaml');
    try { return parse(text) as unknown; } catch (e) {
      throw new ApiError('BadRequest', `request body is not valid YAML: ${(e as Error).message}`);
    }
  }
  try { return JSON.parse(text) as unknown; } catch (e) {
    throw new ApiError('BadRequest', `request body is not valid JSON: ${(e as Error).message}`);
  }
}
