import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import type { ApiClient } from '../../client/types.js';
import { authorizedClient } from './authz.js';
import { podReferences } from './config-ref-authz.js';

const pod = (name: string, node: string, spec: Partial<Pod['spec']>): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

const pods = [
  pod('a', 'edge-1', { volumes: [{ name: 'v', secret: { secretName: 'db' } }] }),
  pod('b', 'edge-1', { containers: [{ name: 'c', image: 'busybox', envFrom: [{ configMapRef: { name: 'app' } }] }] }),
  pod('c', 'edge-2', { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'other', key: 'k' } } }] }] }),
];

/** Just enough of the API for the authorizer: pods by node, and any object by name. */
const api = {
  list: async (_r: string, _ns?: string, opts?: { fieldSelector?: string }) => ({ items: pods.filter((p) => opts?.fieldSelector === `spec.nodeName=${p.spec.nodeName}`) }),
  get: async (resource: string, name: string): Promise<ApiObject> => ({ apiVersion: 'v1', kind: resource, metadata: { name } }),
} as unknown as ApiClient;

describe('a node reads ConfigMaps and Secrets only for its own pods', () => {
  const edge1 = authorizedClient(api, { name: 'system:node:edge-1', role: 'node' });

  test('references are found in volumes, env valueFrom and envFrom', () => {
    assert.deepEqual([...podReferences(pods[0]!, 'secrets')], ['db']);
    assert.deepEqual([...podReferences(pods[1]!, 'configmaps')], ['app']);
    assert.deepEqual([...podReferences(pods[2]!, 'secrets')], ['other']);
    assert.deepEqual([...podReferences(pods[0]!, 'configmaps')], []);
  });

  test('a Secret or ConfigMap a pod bound to the node references may be read', async () => {
    assert.equal((await edge1.get('secrets', 'db', 'default')).metadata.name, 'db');
    assert.equal((await edge1.get('configmaps', 'app', 'default')).metadata.name, 'app');
  });

  test('one referenced only by another node\'s pod, or by nobody, is Forbidden; listing is too', async () => {
    await assert.rejects(edge1.get('secrets', 'other', 'default'), (e: Error) => /system:node:edge-1 may not get secrets "default\/other"/.test(e.message));
    await assert.rejects(edge1.get('configmaps', 'db', 'default'), /Forbidden|may not get configmaps/);
    await assert.rejects(async () => edge1.list('secrets', 'default'), /may not list secrets/);
  });

  test('the one object a referencing pod names may be listed and watched by metadata.name (the agent\'s watched cache)', async () => {
    const api2 = { ...api, watch: () => ({ stop: () => undefined, done: Promise.resolve() }), list: async (r: string, ns?: string, opts?: { fieldSelector?: string }) => (r === 'pods' ? api.list(r, ns, opts) : { items: [] }) } as unknown as ApiClient;
    const node = authorizedClient(api2, { name: 'system:node:edge-1', role: 'node' });
    assert.deepEqual((await node.list('secrets', 'default', { fieldSelector: 'metadata.name=db' })).items, []);
    await node.watch('configmaps', 'default', { fieldSelector: 'metadata.name=app' }, () => undefined).done;
    await assert.rejects(node.list('secrets', 'default', { fieldSelector: 'metadata.name=other' }), /may not list secrets/);
    await assert.rejects(node.watch('secrets', 'default', { fieldSelector: 'metadata.name=other' }, () => undefined).done, /may not watch secrets/);
    await assert.rejects(node.watch('pods', 'default', {}, () => undefined).done, /may not watch pods/);
  });
});
