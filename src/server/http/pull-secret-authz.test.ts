import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import type { ApiClient } from '../../client/types.js';
import { authorizedClient } from './authz.js';

const pod = (name: string, node: string, secret: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 't4-team' },
  spec: { nodeName: node, imagePullSecrets: [{ name: secret }], containers: [{ name: 'c', image: 'reg.example/app:1' }] },
});
const pods = [pod('a', 't4-node-1', 'regcred')];

const api = {
  list: async (_r: string, _ns?: string, opts?: { fieldSelector?: string }) => ({ items: pods.filter((p) => opts?.fieldSelector === `spec.nodeName=${p.spec.nodeName}`) }),
  get: async (resource: string, name: string): Promise<ApiObject> => ({ apiVersion: 'v1', kind: resource, metadata: { name } }),
} as unknown as ApiClient;

describe('imagePullSecrets: only the node that pulls for a pod may read them', () => {
  test('the node of a pod naming the secret in imagePullSecrets reads it', async () => {
    const node = authorizedClient(api, { name: 'system:node:t4-node-1', role: 'node' });
    assert.equal((await node.get('secrets', 'regcred', 't4-team')).metadata.name, 'regcred');
  });

  test('another node gets 403, and so does the pulling node for a secret its pods do not name', async () => {
    const other = authorizedClient(api, { name: 'system:node:t4-node-2', role: 'node' });
    await assert.rejects(other.get('secrets', 'regcred', 't4-team'), /system:node:t4-node-2 may not get secrets "t4-team\/regcred"/);
    const same = authorizedClient(api, { name: 'system:node:t4-node-1', role: 'node' });
    await assert.rejects(same.get('secrets', 'other', 't4-team'), /may not get secrets/);
  });
});
