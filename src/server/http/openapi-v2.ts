/**
 * OpenAPI v2 (Swagger 2.0) at GET /openapi/v2, made from the same per-group/version documents as v3
 * (openapi.ts, the kinds' TypeBox schemas) in one document, as kube-apiserver serves it: JSON, or the
 * protobuf form client-go asks for first (application/com.github.proto-openapi.spec.v2@v1.0+protobuf,
 * openapi-v2-protobuf.ts: the definitions, which is what kubectl reads from it). kubectl 1.32 uses v3
 * wherever the server has it (explain, apply, validation); v2 serves `explain --output
 * plaintext-openapiv2`, older clients and v2-only tools.
 */
import { createHash } from 'node:crypto';
import { kindModules } from '../../api/kinds/index.js';
import { documentOf } from './openapi.js';
import { encodeOpenApiV2 } from './openapi-v2-protobuf.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** v3's `#/components/schemas/X` refs as v2's `#/definitions/X`, everywhere in a value. */
function v2Refs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(v2Refs);
  if (!isRecord(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === '$ref' && typeof x === 'string' ? x.replace('#/components/schemas/', '#/definitions/') : v2Refs(x);
  return out;
}

/** One v3 operation in v2's shape: the body as an `in: body` parameter, responses with `schema`. */
function operationV2(op: Json): Json {
  const { requestBody, responses, parameters, ...rest } = op;
  const params = (Array.isArray(parameters) ? parameters : []).map((p: unknown) => {
    if (!isRecord(p)) return p;
    const { schema, ...q } = p;
    return { ...q, ...(isRecord(schema) ? schema : {}) };
  });
  const body = isRecord(requestBody) && isRecord(requestBody.content) ? (requestBody.content['application/json'] as Json | undefined)?.schema : undefined;
  if (body !== undefined) params.push({ name: 'body', in: 'body', required: true, schema: body });
  const resp: Json = {};
  for (const [code, r] of Object.entries(isRecord(responses) ? responses : {})) {
    const schema = isRecord(r) && isRecord(r.content) ? (r.content['application/json'] as Json | undefined)?.schema : undefined;
    resp[code] = { description: isRecord(r) ? r.description : 'OK', ...(schema !== undefined ? { schema } : {}) };
  }
  return { ...rest, consumes: ['application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'], produces: ['application/json'], parameters: params, responses: resp };
}

function documentV2(): Json {
  const paths: Json = {};
  const definitions: Json = {};
  for (const gv of [...new Set(kindModules.map((k) => k.apiVersion))].sort()) {
    const doc = documentOf(gv);
    if (doc === undefined) continue;
    Object.assign(definitions, (doc.components as Json | undefined)?.schemas ?? {});
    for (const [p, item] of Object.entries(doc.paths as Json)) {
      if (!isRecord(item)) continue;
      const out: Json = {};
      for (const [method, op] of Object.entries(item)) {
        out[method] = method === 'parameters' ? (op as Json[]).map((q) => { const { schema, ...r } = q; return { ...r, ...(isRecord(schema) ? schema : {}) }; }) : operationV2(op as Json);
      }
      paths[p] = out;
    }
  }
  return v2Refs({ swagger: '2.0', info: { title: 'Lantern', version: 'v1' }, paths, definitions }) as Json;
}

let cached: { doc: Json; text: string; etag: string; protobuf?: Buffer } | undefined;

/** client-go's media type for the protobuf form. */
export const openApiV2Protobuf = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** The answer to GET /openapi/v2 for that Accept header: protobuf when asked for, else JSON; 406 when neither is acceptable. */
export function openApiV2(accept: string | undefined): { status: number; type: string; body: string | Buffer; etag?: string } {
  const wanted = (accept ?? '*/*').split(',').map((s) => s.split(';')[0]!.trim().toLowerCase());
  const protobufFirst = wanted[0] === openApiV2Protobuf || (wanted.includes(openApiV2Protobuf) && !wanted.includes('application/json'));
  if (!protobufFirst && !wanted.some((t) => t === 'application/json' || t === '*/*' || t === 'application/*')) {
    const text = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotAcceptable', code: 406, message: `OpenAPI v2 is served as application/json or ${openApiV2Protobuf}` });
    return { status: 406, type: 'application/json', body: text };
  }
  if (cached === undefined) {
    const doc = documentV2();
    const text = JSON.stringify(doc);
    cached = { doc, text, etag: `"${createHash('sha512').update(text).digest('hex').slice(0, 32).toUpperCase()}"` };
  }
  if (protobufFirst) {
    cached.protobuf ??= encodeOpenApiV2(cached.doc);
    // The answer's type is kube-openapi's, without the "@": Go's mime parser (client-go) refuses that character.
    return { status: 200, type: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', body: cached.protobuf, etag: cached.etag };
  }
  return { status: 200, type: 'application/json', body: cached.text, etag: cached.etag };
}
