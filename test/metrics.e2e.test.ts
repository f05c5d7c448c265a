import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { busyboxPod, waitContainer } from './harness/pods.js';
import { Cli, freeHostPort as freePort } from './harness/cli.js';
import { parseExposition, type Sample } from '../src/metrics/parse.js';

/** Pipes TEXT to `promtool check metrics`; resolves with its exit code and output. */
const promtool = (text: string): Promise<{ code: number; out: string }> => new Promise((resolve, reject) => {
  const p = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  p.once('error', reject);
  p.once('close', (code) => resolve({ code: code ?? -1, out }));
  p.stdin.end(text);
});

const burnLabels = { namespace: 'default', pod: 'burn', container: 'spin', image: 'busybox' };
const isBurn = (s: Sample): boolean => s.name === 'container_cpu_usage_seconds_total' && Object.entries(burnLabels).every(([k, v]) => s.labels[k] === v);

describe('metrics: agent cAdvisor series, server /metrics, Prometheus scraping, lcctl top', () => {
  let metricsPort = 0;
  let server: TestServer;
  let cli: Cli;
  let prometheus: ChildProcess | undefined;
  let promDir = '';
  let promLog = '';

  before(async () => {
    metricsPort = await freePort();
    server = new TestServer(['--metrics-listen', `127.0.0.1:${metricsPort}`]);
    cli = new Cli(server);
    await server.start();
    await cli.importBusybox();
    const r = await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('burn', ['sh', '-c', 'while :; do :; done'], { container: { name: 'spin' } }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await waitContainer(server, 'burn', 'running', (cs) => cs.state.running !== undefined);
  });

  after(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    if (promDir) rmSync(promDir, { recursive: true, force: true });
    await server.stop();
  });

  const get = async (p: string, token: string | null = server.token): Promise<{ status: number; text: string; type: string }> => {
    const r = await fetch(server.url + p, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: r.status, text: await r.text(), type: r.headers.get('content-type') ?? '' };
  };
  const cadvisorPath = '/api/v1/nodes/node-1/proxy/metrics/cadvisor';

  test('the node proxy path serves cAdvisor series for the pod, and its CPU counter grows', async () => {
    const first = await get(cadvisorPath);
    assert.equal(first.status, 200, first.text);
    assert.match(first.type, /^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(first.text);
    const a = samples.find(isBurn);
    assert.ok(a, `container_cpu_usage_seconds_total{pod="burn",container="spin"} is present:\n${first.text}`);
    assert.match(a.labels.name ?? '', /^[0-9a-f]{64}$/, 'name is the runtime container id');
    assert.ok(samples.some((s) => s.name === 'container_memory_working_set_bytes' && s.labels.pod === 'burn' && s.value > 0));
    assert.ok(samples.some((s) => s.name === 'container_memory_usage_bytes' && s.labels.pod === 'burn'));
    assert.ok(samples.some((s) => s.name === 'container_spec_memory_limit_bytes' && s.labels.pod === 'burn'));
    assert.ok((samples.find((s) => s.name === 'machine_cpu_cores')?.value ?? 0) >= 1);
    assert.ok((samples.find((s) => s.name === 'machine_memory_bytes')?.value ?? 0) > 0);
    await server.until('the busy loop adds CPU seconds', async () => {
      const later = parseExposition((await get(cadvisorPath)).text).find(isBurn);
      return later !== undefined && later.value > a.value;
    });
  });

  test('metrics need the admin token: none is 401, a wrong one 401', async () => {
    assert.equal((await get('/metrics', null)).status, 401);
    assert.equal((await get(cadvisorPath, 'not-a-token')).status, 401);
    const missing = await get('/api/v1/nodes/no-such-node/proxy/metrics/cadvisor');
    assert.equal(missing.status, 503, missing.text);
  });

  test('the server /metrics reports requests, scheduling, the store and the process', async () => {
    await get('/api/v1/namespaces/default/pods');
    const r = await get('/metrics');
    assert.equal(r.status, 200, r.text);
    const samples = parseExposition(r.text);
    const one = (name: string, labels: Record<string, string> = {}): Sample | undefined =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    assert.ok((one('apiserver_request_total', { verb: 'LIST', resource: 'pods', code: '200' })?.value ?? 0) >= 1, r.text);
    assert.ok((one('apiserver_request_total', { verb: 'CREATE', resource: 'pods', code: '201' })?.value ?? 0) >= 1);
    assert.ok(one('apiserver_request_duration_seconds_bucket', { verb: 'LIST', resource: 'pods', le: '+Inf' }));
    assert.ok((one('scheduler_schedule_attempts_total', { result: 'scheduled' })?.value ?? 0) >= 1);
    assert.ok(one('scheduler_scheduling_attempt_duration_seconds_count', { result: 'scheduled' }));
    assert.equal(one('scheduler_pending_pods', { queue: 'unschedulable' })?.value, 0);
    assert.ok((one('lantern_store_commit_duration_seconds_count', { operation: 'create' })?.value ?? 0) >= 1);
    assert.ok((one('lantern_store_writes_total')?.value ?? 0) >= 1);
    assert.ok((one('process_resident_memory_bytes')?.value ?? 0) > 0);
    assert.match(r.text, /^# TYPE apiserver_registered_watchers gauge$/m, 'declared even with no watch open');
  });

  test('an open watch shows in apiserver_registered_watchers until it is closed', async () => {
    const watchers = async (): Promise<number | undefined> => parseExposition((await get('/metrics')).text)
      .find((s) => s.name === 'apiserver_registered_watchers' && s.labels.resource === 'pods')?.value;
    const abort = new AbortController();
    const watch = await fetch(`${server.url}/api/v1/namespaces/default/pods?watch=1`, { headers: { authorization: `Bearer ${server.token}` }, signal: abort.signal });
    assert.equal(watch.status, 200);
    try {
      await server.until('the watch is counted', async () => (await watchers()) === 1);
    } finally {
      abort.abort();
    }
    await server.until('the closed watch is no longer counted', async () => (await watchers()) === 0);
  });

  test('--metrics-listen serves the same /metrics without a token, and nothing else', async () => {
    const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    const text = await r.text();
    assert.equal(r.status, 200);
    assert.match(text, /^scheduler_pending_pods\{queue="active"\} \d+$/m);
    assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/api/v1/pods`)).status, 404);
  });

  test('promtool check metrics passes on the server and the node output', async () => {
    for (const p of ['/metrics', cadvisorPath]) {
      const r = await get(p);
      const checked = await promtool(r.text);
      assert.equal(checked.code, 0, `promtool check metrics on ${p}:\n${checked.out}`);
    }
  });

  test('a real Prometheus scrapes the server and the node through the proxy path', async () => {
    promDir = mkdtempSync(path.join(tmpdir(), 'lantern-prometheus-'));
    const promPort = await freePort();
    const target = new URL(server.url).host;
    const job = (name: string, metricsPath: string): string => [
      `  - job_name: ${name}`,
      `    metrics_path: ${metricsPath}`,
      '    scrape_interval: 1s',
      '    scrape_timeout: 1s',
      '    authorization:',
      `      credentials: ${server.token}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
    ].join('\n');
    writeFileSync(path.join(promDir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n${job('lantern-server', '/metrics')}\n${job('lantern-nodes', cadvisorPath)}\n`);
    prometheus = spawn('prometheus', [
      `--config.file=${path.join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(promDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prometheus.stdout?.on('data', (d: Buffer) => { promLog += d.toString(); });
    prometheus.stderr?.on('data', (d: Buffer) => { promLog = (promLog + d.toString()).slice(-8000); });
    const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
      const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = await r.json() as { status: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      return body.status === 'success' ? body.data?.result ?? [] : [];
    };
    try {
      const series = await server.until('Prometheus has the pod\'s CPU series', async () => {
        const found = (await query('container_cpu_usage_seconds_total')).filter((r) => r.metric.pod === 'burn');
        return found.length > 0 ? found : undefined;
      }, 60_000);
      assert.equal(series[0]?.metric.namespace, 'default');
      assert.equal(series[0]?.metric.container, 'spin');
      assert.equal(series[0]?.metric.job, 'lantern-nodes');
      const up = await server.until('Prometheus scraped the server', async () => {
        const r = await query('up{job="lantern-server"} == 1');
        return r.length > 0 ? r : undefined;
      }, 60_000);
      assert.equal(up.length, 1);
      const requests = await query('apiserver_request_total');
      assert.ok(requests.some((r) => r.metric.job === 'lantern-server' && r.metric.resource === 'pods'), JSON.stringify(requests));
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- prometheus log ---\n${promLog}`);
    }
  });

  test('lcctl top pods lists the pod; lcctl top nodes lists the node', async () => {
    const pods = await cli.ok(['top', 'pods']);
    assert.match(pods.split('\n')[0] ?? '', /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)$/);
    assert.match(pods, /^burn\s+\d+m\s+\d+Mi$/m);
    const all = await cli.ok(['top', 'pods', '-A']);
    assert.match(all, /^default\s+burn\s+\d+m\s+\d+Mi$/m);
    const nodes = await cli.ok(['top', 'nodes']);
    assert.match(nodes.split('\n')[0] ?? '', /^NAME\s+CPU\(cores\)\s+CPU%\s+MEMORY\(bytes\)\s+MEMORY%$/);
    assert.match(nodes, /^node-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%$/m);
    const empty = await cli.run(['top', 'pods', '-n', 'nothing-here']);
    assert.equal(empty.code, 0);
    assert.match(empty.stderr, /No resources found in nothing-here namespace/);
  });
});
