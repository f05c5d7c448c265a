import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { openApiV2, openApiV2Protobuf } from './openapi-v2.js';

interface Doc {
  swagger: string;
  definitions: Record<string, { properties?: Record<string, unknown>; 'x-kubernetes-group-version-kind'?: unknown }>;
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: { $ref?: string }; type?: string }>; responses?: Record<string, { schema?: { $ref?: string } }> }>>;
}

test('GET /openapi/v2 (JSON) is one Swagger 2.0 document of every kind, refs pointing into definitions', () => {
  const r = openApiV2('application/json');
  assert.equal(r.status, 200);
  const text = String(r.body);
  const doc = JSON.parse(text) as Doc;
  assert.equal(doc.swagger, '2.0');
  const deploy = doc.definitions['io.k8s.api.apps.v1.Deployment'];
  assert.ok(deploy?.properties?.spec, 'Deployment with its schema');
  assert.deepEqual(deploy['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  assert.ok(doc.definitions['io.k8s.api.core.v1.Pod'], 'core kinds too');
  const post = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.post;
  const body = post?.parameters?.find((p) => p.in === 'body');
  assert.equal(body?.schema?.$ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
  assert.equal(post?.parameters?.find((p) => p.name === 'fieldValidation')?.type, 'string', 'v2 parameters carry type, not schema');
  // Every $ref resolves (no v3 "#/components/schemas/" left).
  for (const ref of text.match(/"\$ref":"[^"]*"/g) ?? []) {
    const name = /#\/definitions\/([^"]+)/.exec(ref)?.[1];
    assert.ok(name !== undefined && doc.definitions[name] !== undefined, ref);
  }
});

test('client-go\'s protobuf ask gets gnostic\'s Document: definitions with their group-version-kind', () => {
  const r = openApiV2(`${openApiV2Protobuf}, application/json`);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = new protobuf.Root().loadSync(path.join(here, '../../../..', 'proto/openapi/v2/OpenAPIv2.proto'), { keepCase: true });
  const doc = root.lookupType('openapi.v2.Document').toObject(root.lookupType('openapi.v2.Document').decode(r.body as Buffer)) as {
    swagger: string; definitions: { additional_properties: Array<{ name: string; value: { vendor_extension?: Array<{ name: string; value: { yaml: string } }>; properties?: { additional_properties: Array<{ name: string }> } } }> };
  };
  assert.equal(doc.swagger, '2.0');
  const deploy = doc.definitions.additional_properties.find((d) => d.name === 'io.k8s.api.apps.v1.Deployment');
  assert.ok(deploy?.value.properties?.additional_properties.some((p) => p.name === 'spec'));
  const gvk = deploy?.value.vendor_extension?.find((e) => e.name === 'x-kubernetes-group-version-kind');
  assert.deepEqual(JSON.parse(gvk?.value.yaml ?? 'null'), [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
});

test('JSON when asked for or for */*; 406 when neither form is acceptable', () => {
  assert.equal(openApiV2(undefined).type, 'application/json');
  assert.equal(openApiV2('application/json').type, 'application/json');
  assert.equal(openApiV2('text/html').status, 406);
});
