import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { freeHostPort } from './harness/cli.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { runPodOn } from './harness/remote-nodes.js';
import { parseExposition } from '../src/metrics/parse.js';

describe("a remote agent's metrics reach the server through its tunnel, and its own --metrics-listen", { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent'], { https: true });
  let agent: RemoteAgent | undefined;
  let metricsPort = 0;

  before(async () => {
    await server.start();
    metricsPort = await freeHostPort();
    agent = new RemoteAgent(server, 'edge-m', { args: ['--metrics-listen', `127.0.0.1:${metricsPort}`] });
    await agent.start();
    await runPodOn(server, 'remote', 'edge-m');
  });

  after(async () => {
    await agent?.remove('remote');
    await server.stop();
  });

  const hasPod = (text: string): boolean => parseExposition(text).some((s) => s.name === 'container_cpu_usage_seconds_total'
    && s.labels.pod === 'remote' && s.labels.namespace === 'default' && s.labels.container === 'c' && s.labels.image === 'busybox');

  test('the node proxy path serves the remote pod\'s cAdvisor series over the tunnel', async () => {
    const text = await server.until(`the tunnel serves metrics (agent log: ${agent?.log})`, async () => {
      const r = await server.api<string>('GET', '/api/v1/nodes/edge-m/proxy/metrics/cadvisor');
      return r.status === 200 && typeof r.body === 'string' && hasPod(r.body) ? r.body : undefined;
    }, 30_000);
    assert.match(text, /^# TYPE machine_cpu_cores gauge$/m);
  });

  test('lanternd agent --metrics-listen serves the same series and the agent process, without a token', async () => {
    const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    const text = await r.text();
    assert.equal(r.status, 200, text);
    assert.ok(hasPod(text), text);
    assert.match(text, /^process_resident_memory_bytes \d+$/m);
  });

  test('lcctl top pods and top nodes show the remote node\'s pod and the node', async () => {
    const pods = await server.lcctl(['top', 'pods']);
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stdout, /^remote\s+\d+m\s+\d+Mi$/m);
    const nodes = await server.lcctl(['top', 'nodes']);
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.match(nodes.stdout, /^edge-m\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%$/m);
  });
});
