import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from './schema/pod.js';
import { listOf } from './resource-list.js';
import { podCompute, usageOf } from './quota-usage.js';

const pod = (spec: Partial<Pod['spec']> & { overhead?: Record<string, string> }): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], ...spec } as Pod['spec'] });

describe('what a pod charges to a quota', () => {
  test("containers' requests summed; an init container counts when larger; a limit without a request is the request", () => {
    const p = pod({
      initContainers: [{ name: 'init', image: 'i', resources: { requests: { cpu: '3' } } }],
      containers: [
        { name: 'a', image: 'i', resources: { requests: { cpu: '500m', memory: '64Mi' }, limits: { memory: '128Mi' } } },
        { name: 'b', image: 'i', resources: { limits: { cpu: '1', 'nvidia.com/gpu': '1' } } },
      ],
    });
    assert.deepEqual(listOf(podCompute(p)), {
      cpu: '3', 'limits.cpu': '1', 'limits.memory': '128Mi', 'limits.nvidia.com/gpu': '1', memory: '64Mi',
      'requests.cpu': '3', 'requests.memory': '64Mi', 'requests.nvidia.com/gpu': '1',
    });
  });

  test("a RuntimeClass's overhead is added to requests, and to limits where there are limits", () => {
    const p = pod({ overhead: { cpu: '250m', memory: '120Mi' }, containers: [{ name: 'a', image: 'i', resources: { requests: { cpu: '1', memory: '100Mi' }, limits: { memory: '200Mi' } } }] });
    const u = listOf(podCompute(p));
    assert.equal(u['requests.cpu'], '1250m');
    assert.equal(u['requests.memory'], '220Mi');
    assert.equal(u['limits.memory'], '320Mi');
    assert.equal(u['limits.cpu'], undefined);
  });

  test('a finished pod or one being deleted charges nothing; counts name the group', () => {
    assert.equal(usageOf('pods', '', { ...pod({ containers: [] }), status: { phase: 'Succeeded' } } as Pod).size, 0);
    assert.deepEqual([...usageOf('deployments', 'apps', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } })], [['count/deployments.apps', 1]]);
    assert.deepEqual(Object.fromEntries(usageOf('configmaps', '', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })), { 'count/configmaps': 1, configmaps: 1 });
  });
});
