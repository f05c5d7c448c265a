import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openImageStore } from '../src/image/index.js';
import { TestServer, busyboxArchive, lanterndBin, sweepHost } from './harness/lanternd.js';
import { runPodOn, waitNodeReady, stopRemoteAgent } from './harness/remote-nodes.js';
import { parseExposition } from '../src/metrics/parse.js';

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const a = s.address();
    s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
  });
});

describe("a remote agent's metrics reach the server through its tunnel, and its own --metrics-listen", { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent'], { https: true });
  const agentRoot = mkdtempSync(path.join(tmpdir(), 'lantern-e2e-metrics-'));
  const agentDir = path.join(agentRoot, 'agent');
  const bridge = `lt${randomBytes(3).toString('hex')}`;
  const n = (process.pid * 17 + 9) % 12800;
  const subnet = `10.${150 + Math.floor(n / 256)}.${n % 256}.0/24`;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let metricsPort = 0;

  before(async () => {
    await server.start();
    const joinToken = readFileSync(path.join(server.dataDir, 'node-token'), 'utf8').trim();
    const images = await openImageStore(path.join(agentDir, 'images'));
    await images.importArchive(busyboxArchive());
    metricsPort = await freePort();
    agent = spawn(lanterndBin, ['agent', '--server', server.url, '--token', joinToken, '--data-dir', agentDir,
      '--bridge', bridge, '--pod-subnet', subnet, '--node-name', 'edge-m', '--metrics-listen', `127.0.0.1:${metricsPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout!.on('data', (d: Buffer) => { agentLog += d.toString(); });
    agent.stderr!.on('data', (d: Buffer) => { agentLog += d.toString(); });
    await waitNodeReady(server, 'edge-m', () => agentLog);
    await runPodOn(server, 'remote', 'edge-m');
  });

  after(async () => {
    await stopRemoteAgent(server, agent, 'remote');
    sweepHost(agentRoot, bridge);
    rmSync(agentRoot, { recursive: true, force: true });
    await server.stop();
  });

  const hasPod = (text: string): boolean => parseExposition(text).some((s) => s.name === 'container_cpu_usage_seconds_total'
    && s.labels.pod === 'remote' && s.labels.namespace === 'default' && s.labels.container === 'c' && s.labels.image === 'busybox');

  test('the node proxy path serves the remote pod\'s cAdvisor series over the tunnel', async () => {
    const text = await server.until(`the tunnel serves metrics (agent log: ${agentLog})`, async () => {
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
