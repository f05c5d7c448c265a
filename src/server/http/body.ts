import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { BoundedParseError, parseJsonBounded } from '../../api/bounded-parse.js';
import { parseYamlBounded } from '../../api/bounded-yaml.js';
import { decodeProtobuf, isProtobuf } from './protobuf/decode.js';

const limit = 3 * 1024 * 1024;

/** What a parsed body that is not an object is, in words. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/**
 * Read and parse a JSON (or, with a YAML content type, YAML) request body of any shape (a JSON patch is
 * a list). Nesting, aliases and the YAML parser's work are bounded before parsing (api/bounded-parse.ts,
 * api/bounded-yaml.ts), whoever the caller is: one body must never take the server down.
 */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError('PayloadTooLarge', `request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  const type = req.headers['content-type'] ?? 'application/json';
  // kubectl's typed create/run/expose/drain send Kubernetes' protobuf encoding (protobuf/README.md).
  if (isProtobuf(type)) return decodeProtobuf(Buffer.concat(chunks));
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ApiError('BadRequest', 'request body is empty: expected an object');
  const yaml = /yaml/.test(type);
  try {
    return yaml ? await parseYamlBounded(text, 'request body') : parseJsonBounded(text, 'request body');
  } catch (e) {
    if (e instanceof BoundedParseError) throw new ApiError('BadRequest', e.message);
    throw new ApiError('BadRequest', `request body is not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
}

/** Read a request body that must be an object (readJson's bounds), else 400 saying what it was. */
export async function readObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const value = await readJson(req);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('BadRequest', `request body must be a JSON or YAML object ({...}), got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}
