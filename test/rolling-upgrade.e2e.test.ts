/**
 * A rolling upgrade (issue 16 item 6): two `lanternd server --no-agent` on one real etcd; each is
 * stopped and started again as the next version (0.2.0, through the test aid LANTERN_VERSION_OVERRIDE)
 * one at a time while a client keeps writing and reading through the list of both. The API answers
 * throughout, no acknowledged write is lost, and afterwards the version skew policy holds agents to
 * the new servers: one newer than them, or two minors older, is refused at join with both versions named.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../src/testing/eventually.js';
import { LanterndProcess, runLanternd } from './harness/lanternd-process.js';
import { freeHostPort } from './harness/cli.js';
import { runLcctl } from '../src/cli/testing/cluster.js';
import { TestEtcd } from './harness/etcd.js';

/** One server that keeps its port and data dir across restarts, so clients' server lists stay true. */
class UpgradableServer {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'h4-rolling-'));
  proc: LanterndProcess | undefined;
  token = '';
  version = '';
  constructor(readonly port: number, readonly etcd: string) {}
  get url(): string { return `http://127.0.0.1:${this.port}`; }
  get running(): boolean { return this.proc?.running ?? false; }

  async start(version?: string): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.LANTERN_VERSION_OVERRIDE;
    if (version !== undefined) env.LANTERN_VERSION_OVERRIDE = version;
    const p = new LanterndProcess(['server', '--data-dir', this.dir, '--listen', `127.0.0.1:${this.port}`, '--no-agent', '--insecure-http',
      '--datastore-endpoint', this.etcd, '--network-backend', 'none'], { env });
    this.proc = p;
    await eventually(() => `the server on ${this.port} to be ready:\n${p.log.slice(-3000)}`, async () => {
      const r = await fetch(`${this.url}/readyz`).catch(() => undefined);
      return r?.status === 200;
    }, { timeoutMs: 60_000, intervalMs: 100, abort: () => (p.running ? undefined : `lanternd exited:\n${p.log.slice(-3000)}`) });
    this.token = /token: (\S+)/.exec(readFileSync(path.join(this.dir, 'admin.yaml'), 'utf8'))?.[1] ?? '';
    this.version = ((await (await fetch(`${this.url}/version`)).json()) as { version: string }).version;
  }

  async stop(): Promise<void> { await this.proc?.stop(15_000); }
}

const etcd = new TestEtcd();
let servers: UpgradableServer[] = [];
const agentDir = mkdtempSync(path.join(tmpdir(), 'h4-rolling-agent-'));

before(async () => {
  await etcd.start();
  servers = [new UpgradableServer(await freeHostPort(), etcd.endpoint), new UpgradableServer(await freeHostPort(), etcd.endpoint)];
  for (const s of servers) await s.start();
});
after(async () => {
  for (const s of servers) { await s.stop(); rmSync(s.dir, { recursive: true, force: true }); }
  await etcd.stop();
  rmSync(agentDir, { recursive: true, force: true });
});

/** A client of the server list: each call goes to the next server in turn and moves on when one does not answer. */
class ListClient {
  private next = 0;
  ops = 0;
  constructor(private readonly list: UpgradableServer[]) {}
  async call(method: string, p: string, body?: unknown): Promise<{ status: number; via: number } | { status: 0; why: string }> {
    this.ops++;
    const why: string[] = [];
    for (let tried = 0; tried < this.list.length; tried++) {
      const i = (this.next + tried) % this.list.length;
      const s = this.list[i]!;
      try {
        const r = await fetch(s.url + p, {
          method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000),
          headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        });
        await r.arrayBuffer();
        if (r.status < 500) { this.next = (i + 1) % this.list.length; return { status: r.status, via: i }; }
        why.push(`${s.url}: ${r.status}`);
      } catch (e) { why.push(`${s.url}: ${e instanceof Error ? e.message : String(e)}`); }
    }
    return { status: 0, why: why.join('; ') };
  }
}

test('servers upgraded one at a time keep the API answering; no acknowledged write is lost; then the skew policy holds agents to them', async () => {
  assert.deepEqual(servers.map((s) => s.version), ['0.1.0', '0.1.0']);
  const client = new ListClient(servers);
  const acked: string[] = [];
  const failures: string[] = [];
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const name = `h4-cm-${i}`;
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { h4: 'rolling' } }, data: { i: String(i) } };
      const w = await client.call('POST', '/api/v1/namespaces/default/configmaps', cm);
      // 409: an earlier try on a server that went away committed it before the answer was lost.
      if (w.status === 201 || w.status === 409) acked.push(name);
      else failures.push(`create ${name}: ${'why' in w ? w.why : w.status}`);
      const r = await client.call('GET', `/api/v1/namespaces/default/configmaps/${name}`);
      if (r.status !== 200 && w.status === 201) failures.push(`read ${name}: ${'why' in r ? r.why : r.status}`);
    }
  })();

  for (const s of servers) {
    const before = client.ops;
    await s.stop();
    assert.equal(s.running, false);
    // The other server alone carries the client for a while.
    await eventually('the client to go on while one server is down', () => client.ops >= before + 10, { timeoutMs: 60_000 });
    await s.start('0.2.0');
    const back = client.ops;
    await eventually('the client to go on after the server came back', () => client.ops >= back + 10, { timeoutMs: 60_000 });
  }
  writing = false;
  await writer;

  assert.deepEqual(failures, [], 'every call was answered by some server');
  assert.deepEqual(servers.map((s) => s.version), ['0.2.0', '0.2.0'], 'both servers run the new version');
  assert.ok(acked.length >= 40, `writes went on through the upgrade (${acked.length})`);
  for (const s of servers) {
    const list = await (await fetch(`${s.url}/api/v1/namespaces/default/configmaps?labelSelector=h4%3Drolling`, { headers: { authorization: `Bearer ${s.token}` } })).json() as { items: { metadata: { name: string } }[] };
    const have = new Set(list.items.map((c) => c.metadata.name));
    assert.deepEqual(acked.filter((n) => !have.has(n)), [], `every acknowledged write is on ${s.url}`);
  }

  // lcctl version, kubectl style: the client's own version and the (upgraded) server's.
  const v = await runLcctl(['version'], { PATH: process.env.PATH, HOME: agentDir, LANTERN_CONFIG: path.join(servers[0]!.dir, 'admin.yaml') });
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /^Client Version: 0\.1\.0\nServer Version: 0\.2\.0\n$/);

  // Agents come after the servers: one newer than them, or two minors behind, is refused at join.
  const joinToken = readFileSync(path.join(servers[0]!.dir, 'node-token'), 'utf8').trim();
  const agent = (version: string): Promise<{ code: number | null; output: string }> => runLanternd(
    ['agent', '--server', servers[0]!.url, '--token', joinToken, '--data-dir', agentDir, '--node-name', 'h4-skew-agent'],
    { env: { ...process.env, LANTERN_VERSION_OVERRIDE: version } });
  const newer = await agent('0.3.0');
  assert.notEqual(newer.code, 0);
  assert.match(newer.output, /the agent is newer than the server \(agent 0\.3\.0, server 0\.2\.0\): agents may be as new as the server or 1 minor version older, never newer; upgrade the servers first/);
  const old = await agent('0.0.9');
  assert.notEqual(old.code, 0);
  assert.match(old.output, /the agent is 2 minor versions older than the server \(agent 0\.0\.9, server 0\.2\.0\)/);
});
