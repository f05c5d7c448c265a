/**
 * OpenAPI v3 made from the kinds' TypeBox schemas (the same ones the server validates with), as
 * kube-apiserver serves it: GET /openapi/v3 lists one document per group/version, and
 * GET /openapi/v3/api/v1 or /openapi/v3/apis/GROUP/VERSION is that document. kubectl reads it to learn
 * that the server checks fields itself (the fieldValidation parameter on each kind's POST), so
 * `kubectl apply` needs no --validate=false, and `kubectl explain` walks its schemas. Any
 * authenticated identity may read it, as discovery: it describes kinds, never objects.
 */
import { createHash } from 'node:crypto';
import { kindModules } from '../../api/kinds/index.js';
import { kindRules } from '../../api/kinds/rules.js';
import type { KindModule } from '../../api/kinds/module.js';

/** The path of a group/version without the leading slash: api/v1, apis/apps/v1. */
const gvPath = (gv: string): string => gv.includes('/') ? `apis/${gv}` : `api/${gv}`;

/** kube-openapi's schema name of a kind: io.k8s.api.apps.v1.Deployment (core: io.k8s.api.core.v1.Pod). */
function schemaName(k: KindModule): string {
  if (k.group === '' || k.group.endsWith('.k8s.io') || !k.group.includes('.')) {
    const g = k.group === '' ? 'core' : k.group.replace(/\.k8s\.io$/, '').replace(/\./g, '');
    return `io.k8s.api.${g}.${k.version}.${k.kind}`;
  }
  return `${k.group.split('.').reverse().join('.')}.${k.version}.${k.kind}`;
}

const queryParam = (name: string, description: string): Record<string, unknown> => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const commonParams = [
  queryParam('dryRun', 'All: validate and answer without persisting'),
  queryParam('fieldManager', 'the name of the actor making the change'),
  queryParam('fieldValidation', 'Strict: unknown or duplicate fields are refused (Lantern always checks its schema)'),
];

function operations(k: KindModule, ref: string): Record<string, unknown> {
  const gvk = { group: k.group, version: k.version, kind: k.kind };
  // kubectl looks for fieldValidation among the parameters of the kind's PATCH operation itself.
  const op = (action: string, body: boolean): Record<string, unknown> => ({
    operationId: `${action}${k.kind}`,
    parameters: action === 'get' || action === 'list' ? [] : commonParams,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...(body ? { requestBody: { content: { 'application/json': { schema: { $ref: ref } } }, required: true } } : {}),
    responses: { 200: { description: 'OK', content: { 'application/json': { schema: { $ref: ref } } } } },
  });
  const base = `/${gvPath(k.apiVersion)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.resource}`;
  const nsParam = k.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string' } }] : [];
  return {
    [base]: { get: op('list', false), post: op('post', true), parameters: nsParam },
    [`${base}/{name}`]: {
      get: op('get', false), put: op('put', true), patch: op('patch', false), delete: op('delete', false),
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }, ...nsParam],
    },
  };
}

/** The OpenAPI v3 document of one group/version, or undefined when nothing is served there. */
export function documentOf(gv: string): Record<string, unknown> | undefined {
  const here = kindModules.filter((k) => k.apiVersion === gv);
  if (here.length === 0) return undefined;
  const schemas: Record<string, unknown> = {};
  let paths: Record<string, unknown> = {};
  for (const k of here) {
    const rules = kindRules.get(k.resource);
    if (rules === undefined) continue;
    const name = schemaName(k);
    // JSON through JSON: TypeBox's symbol keys drop out, leaving plain JSON Schema.
    const schema = JSON.parse(JSON.stringify(rules.schema)) as Record<string, unknown>;
    schemas[name] = { ...schema, 'x-kubernetes-group-version-kind': [{ group: k.group, version: k.version, kind: k.kind }] };
    paths = { ...paths, ...operations(k, `#/components/schemas/${name}`) };
  }
  return { openapi: '3.0.0', info: { title: 'Lantern', version: gv }, paths, components: { schemas } };
}

const cache = new Map<string, { text: string; hash: string }>();

function cached(gv: string): { text: string; hash: string } | undefined {
  let hit = cache.get(gv);
  if (hit === undefined) {
    const doc = documentOf(gv);
    if (doc === undefined) return undefined;
    const text = JSON.stringify(doc);
    hit = { text, hash: createHash('sha512').update(text).digest('hex').slice(0, 32).toUpperCase() };
    cache.set(gv, hit);
  }
  return hit;
}

/** The JSON text of an OpenAPI v3 path (/openapi/v3 or /openapi/v3/api/v1 ...), or undefined for any other path. */
export function openApiV3(pathname: string): string | undefined {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/openapi/v3') {
    const gvs = [...new Set(kindModules.map((k) => k.apiVersion))].sort();
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of gvs) {
      const doc = cached(gv);
      if (doc !== undefined) paths[gvPath(gv)] = { serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=${doc.hash}` };
    }
    return JSON.stringify({ paths });
  }
  const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(path);
  if (m === null) return undefined;
  return cached(m[1] ?? m[2]!)?.text;
}
