import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/meta.js';
import type { HttpClient } from '../../client/http-client.js';
import { ApiError } from '../../api/errors.js';
import { parseManifests } from '../manifest.js';
import { applyOne } from './plan.js';
import { applyPatch } from './merge.js';

/** A client over a map that records every write, to tell what a dry run sends. */
function fakeClient(stored: Map<string, ApiObject>): { client: HttpClient; writes: string[] } {
  const writes: string[] = [];
  const client = {
    get: async (_r: string, name: string): Promise<ApiObject> => {
      const o = stored.get(name);
      if (!o) throw new ApiError('NotFound', `configmaps "${name}" not found`);
      return structuredClone(o);
    },
    create: async (_r: string, obj: ApiObject, opts: { dryRun?: boolean } = {}): Promise<ApiObject> => {
      writes.push(`create${opts.dryRun ? ' dry' : ''}`);
      if (!opts.dryRun) stored.set(obj.metadata.name, { ...obj, metadata: { ...obj.metadata, resourceVersion: '1' } });
      return obj;
    },
    update: async (_r: string, obj: ApiObject, opts: { dryRun?: boolean } = {}): Promise<ApiObject> => {
      writes.push(`update${opts.dryRun ? ' dry' : ''}`);
      if (!opts.dryRun) stored.set(obj.metadata.name, obj);
      return obj;
    },
  } as unknown as HttpClient;
  return { client, writes };
}

const doc = (value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: "${value}"\n`;

describe('apply of one object', () => {
  test('multi-document YAML splits into objects, skipping empty documents; a JSON List flattens', async () => {
    const objs = await parseManifests(`${doc('1')}---\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n`, 'f.yaml');
    assert.deepEqual(objs.map((o) => `${o.obj.kind}/${o.obj.metadata.name}`), ['ConfigMap/c', 'Secret/s']);
    assert.match(objs[1]!.source, /document 3/);
    const list = await parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'ConfigMap', metadata: { name: 'a' } }, { kind: 'Pod', metadata: { name: 'b' } }] }), 'l.json');
    assert.deepEqual(list.map((o) => o.obj.metadata.name), ['a', 'b']);
  });

  test('created, unchanged, configured; --dry-run=client sends no write and --dry-run=server only dry ones', async () => {
    const stored = new Map<string, ApiObject>();
    const { client, writes } = fakeClient(stored);
    const [m1] = await parseManifests(doc('1'), 'f');
    assert.equal(await applyOne(client, m1!, 'default', 'client'), 'created');
    assert.equal(await applyOne(client, m1!, 'default', 'server'), 'created');
    assert.deepEqual(writes, ['create dry']);
    assert.equal(stored.size, 0, 'a dry run stores nothing');
    assert.equal(await applyOne(client, m1!, 'default', 'none'), 'created');
    assert.equal(await applyOne(client, m1!, 'default', 'none'), 'unchanged');
    const [m2] = await parseManifests(doc('2'), 'f');
    writes.length = 0;
    assert.equal(await applyOne(client, m2!, 'default', 'server'), 'configured');
    assert.deepEqual(writes, ['update dry']);
    assert.equal((stored.get('c') as ApiObject & { data: Record<string, string> }).data.k, '1');
    assert.equal(await applyOne(client, m2!, 'default', 'none'), 'configured');
    assert.equal((stored.get('c') as ApiObject & { data: Record<string, string> }).data.k, '2');
  });

  test('applyPatch keeps the bound node of a pod the file does not name', () => {
    const live = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'a' }] } };
    const next = applyPatch({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'b' }] } as { nodeName?: string; containers: { name: string; image: string }[] } }, live);
    assert.equal(next.spec.nodeName, 'n1');
    assert.equal(next.spec.containers[0]!.image, 'b');
  });
});
