/**
 * The protobuf form of OpenAPI v2 that client-go asks for first (gnostic's openapi.v2.Document,
 * proto/openapi/v2/OpenAPIv2.proto): the definitions of the JSON document (openapi-v2.ts), which is
 * what kubectl reads from it (`explain --output plaintext-openapiv2`, the models keyed by
 * x-kubernetes-group-version-kind). JSON Schema that gnostic's Schema cannot say is narrowed: a union
 * of constants becomes an enum, another union is left untyped; vendor extensions travel as YAML (JSON).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** proto/openapi/v2/OpenAPIv2.proto at the package root (from src/... or dist/src/...). */
function protoFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'proto', 'openapi', 'v2', 'OpenAPIv2.proto');
    if (existsSync(candidate) && existsSync(path.join(dir, 'package.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('proto/openapi/v2/OpenAPIv2.proto not found above the lanternd installation');
    dir = up;
  }
}

let documentType: protobuf.Type | undefined;

const anyOf = (v: unknown): Json => ({ yaml: JSON.stringify(v) });

/** One JSON Schema as gnostic's Schema message (plain object for protobufjs' fromObject). */
function schemaOf(s: unknown, depth = 0): Json {
  if (!isRecord(s) || depth > 48) return {};
  const out: Json = {};
  if (typeof s.$ref === 'string') out._ref = s.$ref;
  for (const k of ['format', 'title', 'description', 'pattern'] as const) if (typeof s[k] === 'string') out[k] = s[k];
  for (const [from, to] of [['maximum', 'maximum'], ['minimum', 'minimum'], ['maxLength', 'max_length'], ['minLength', 'min_length'], ['maxItems', 'max_items'], ['minItems', 'min_items']] as const) {
    if (typeof s[from] === 'number') out[to] = s[from];
  }
  if (s.default !== undefined) out.default = anyOf(s.default);
  if (Array.isArray(s.required)) out.required = s.required.filter((r) => typeof r === 'string');
  let type = s.type;
  let values = Array.isArray(s.enum) ? s.enum : s.const !== undefined ? [s.const] : undefined;
  const union = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (union !== undefined && union.every((u) => isRecord(u) && u.const !== undefined)) {
    values = union.map((u) => (u as Json).const);
    type = (union[0] as Json).type;
  }
  if (typeof type === 'string') out.type = { value: [type] };
  else if (Array.isArray(type)) out.type = { value: type.filter((t) => typeof t === 'string') };
  if (values !== undefined) out.enum = values.map(anyOf);
  if (isRecord(s.properties)) {
    out.properties = { additional_properties: Object.entries(s.properties).map(([name, v]) => ({ name, value: schemaOf(v, depth + 1) })) };
  }
  if (s.items !== undefined) out.items = { schema: (Array.isArray(s.items) ? s.items : [s.items]).map((i) => schemaOf(i, depth + 1)) };
  // TypeBox writes a map (Type.Record) as patternProperties; OpenAPI v2 says additionalProperties.
  const map = isRecord(s.patternProperties) ? Object.values(s.patternProperties)[0] : isRecord(s.additionalProperties) ? s.additionalProperties : undefined;
  if (map !== undefined) out.additional_properties = { schema: schemaOf(map, depth + 1) };
  else if (s.additionalProperties === true) out.additional_properties = { boolean: true };
  if (Array.isArray(s.allOf)) out.all_of = s.allOf.map((a) => schemaOf(a, depth + 1));
  const ext = Object.entries(s).filter(([k]) => k.startsWith('x-')).map(([name, v]) => ({ name, value: anyOf(v) }));
  if (ext.length > 0) out.vendor_extension = ext;
  return out;
}

/** The protobuf encoding of a Swagger 2.0 JSON document's definitions (gnostic's Document). */
export function encodeOpenApiV2(doc: Json): Buffer {
  if (documentType === undefined) {
    // keepCase: the field names stay as gnostic writes them (additional_properties, _ref).
    const root = new protobuf.Root().loadSync(protoFile(), { keepCase: true });
    documentType = root.lookupType('openapi.v2.Document');
  }
  const info = isRecord(doc.info) ? doc.info : {};
  const message = documentType.fromObject({
    swagger: typeof doc.swagger === 'string' ? doc.swagger : '2.0',
    info: { title: String(info.title ?? ''), version: String(info.version ?? '') },
    definitions: { additional_properties: Object.entries(isRecord(doc.definitions) ? doc.definitions : {}).map(([name, v]) => ({ name, value: schemaOf(v) })) },
  });
  return Buffer.from(documentType.encode(message).finish());
}
