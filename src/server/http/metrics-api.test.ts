import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeServices } from '../../api/node-services.js';
import { NodeRegistry } from '../node-registry.js';
import { MetricsApi } from './metrics-api.js';
import { classifyRequest } from './request-metrics.js';

/** A node whose counters advance by fixed steps at each scrape. */
function countingNode(cpuStep: number, nodeStep: number): NodeServices {
  let n = 0;
  const unused = (): never => { throw new Error('unused'); };
  return {
    podLogs: unused, podExec: unused, podAttach: unused, podPortForward: unused, podStats: unused,
    listImages: unused, importImage: unused, removeImage: unused, pullImage: unused, pushImage: unused, tagImage: unused,
    nodeMetrics: async () => {
      n++;
      const l = (pod: string, c: string): string => `{namespace="ns1",pod="${pod}",container="${c}",image="busybox",name="id-${pod}-${c}"}`;
      return [
        `container_cpu_usage_seconds_total${l('web', 'a')} ${n * cpuStep}`,
        `container_cpu_usage_seconds_total${l('web', 'b')} ${n * cpuStep * 2}`,
        `container_memory_working_set_bytes${l('web', 'a')} 2097152`,
        `container_memory_working_set_bytes${l('web', 'b')} 1048576`,
        `node_cpu_usage_seconds_total ${n * nodeStep}`,
        'node_memory_working_set_bytes 1073741824',
        '',
      ].join('\n');
    },
  };
}

describe('metrics.k8s.io from node scrapes', () => {
  test('CPU is the rate between two scrapes; memory the working set; containers grouped by pod', async () => {
    const nodes = new NodeRegistry();
    nodes.register('n1', countingNode(0.5, 1.5));
    let slept = 0;
    let clock = 0;
    const realNow = Date.now;
    Date.now = () => clock;
    try {
      // The sleep stands in for the second between scrapes (no real waiting in a unit test).
      const api = new MetricsApi(nodes, async (ms) => { slept += ms; clock += ms; });
      const list = await api.nodes() as { items: { metadata: { name: string }; usage: { cpu: string; memory: string } }[] };
      assert.equal(slept, 1000, 'a first call takes two scrapes a second apart');
      assert.deepEqual(list.items.map((i) => [i.metadata.name, i.usage.cpu, i.usage.memory]), [['n1', '1500000000n', '1048576Ki']]);
      clock += 2000;
      const pods = await api.pods('ns1') as { items: { metadata: { name: string; namespace: string }; containers: { name: string; usage: { cpu: string; memory: string } }[] }[] };
      assert.equal(slept, 1000, 'a recent scrape is reused as the earlier sample');
      assert.deepEqual(pods.items.map((p) => [p.metadata.namespace, p.metadata.name, p.containers.map((c) => [c.name, c.usage.cpu, c.usage.memory])]), [
        ['ns1', 'web', [['a', '250000000n', '2048Ki'], ['b', '500000000n', '1024Ki']]],
      ]);
      assert.deepEqual((await api.pods('other') as { items: unknown[] }).items, []);
      await assert.rejects(api.pods('ns1', 'nope'), /podmetrics "nope" not found/);
    } finally {
      Date.now = realNow;
    }
  });
});

describe('request labels', () => {
  const c = (method: string, url: string): string => {
    const r = classifyRequest(method, new URL(url, 'http://x'));
    return `${r.verb} ${r.resource} ${r.subresource}`.trim();
  };
  test('verbs follow kube-apiserver: LIST, GET, WATCH, CREATE, UPDATE, DELETE', () => {
    assert.equal(c('GET', '/api/v1/namespaces/default/pods'), 'LIST pods');
    assert.equal(c('GET', '/api/v1/namespaces/default/pods/p'), 'GET pods');
    assert.equal(c('GET', '/api/v1/pods?watch=1'), 'WATCH pods');
    assert.equal(c('POST', '/api/v1/namespaces/default/pods'), 'CREATE pods');
    assert.equal(c('PUT', '/api/v1/namespaces/default/pods/p/status'), 'UPDATE pods status');
    assert.equal(c('DELETE', '/api/v1/namespaces/default/pods/p'), 'DELETE pods');
    assert.equal(c('GET', '/api/v1/namespaces/default/pods/p/log'), 'GET pods log');
    assert.equal(c('GET', '/api/v1/nodes/n1/proxy/metrics/cadvisor'), 'CONNECT nodes proxy');
    assert.equal(c('GET', '/v2/busybox/manifests/latest'), 'GET registry');
  });
});
