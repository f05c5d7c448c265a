/**
 * Clients that hang up: hundreds of conversations with every streaming endpoint of a real lanternd
 * server (exec with and without tty and stdin, attach, logs -f, port-forward, watch, build, image
 * pull progress, image import, image save, the built-in registry, the node tunnel), on its own node
 * and on a remote agent through its tunnel, each cut at a random point (in the request head, before
 * the answer, at the answer, mid-stream, mid-upload) with an RST, a close or a FIN. The server must
 * stay up, log no BUG (lanternd_uncaught_errors_total stays 0), and hold afterwards what it held
 * before: no processes, container processes, fds or watches left, memory bounded.
 *
 * The plan comes from a seeded PRNG: HANGUP_SEED=N replays a run (the seed is printed);
 * HANGUP_CASES=N changes the number of cases, HANGUP_ONLY=exec,attach limits the endpoints,
 * HANGUP_DUMP=1 prints the daemons' logs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestServer, busyboxArchive, repoRoot } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { Prng, seedFrom } from './harness/prng.js';
import { converse, type Outcome } from './harness/hangup-client.js';
import { planCase, weights, type Case, type Targets } from './harness/hangup-endpoints.js';
import { allProcesses, running } from './harness/proc-scan.js';
import { leftovers, snapshot, type Daemon, type Holdings } from './harness/daemon-holdings.js';
import { buildContext, hangPod, metric, request, settle, type PodView } from './harness/hangup-setup.js';

const seed = seedFrom('HANGUP_SEED');
const caseCount = Number(process.env.HANGUP_CASES ?? 600);
const only = process.env.HANGUP_ONLY?.split(',').filter(Boolean);
/** Conversations in flight at once (the tunnel's run in a lane of their own, one at a time). */
const lanes = 6;
/** Memory the server may hold on to after hundreds of conversations (a bound, not a timing). */
const rssSlackBytes = 128 * 1024 * 1024;
/** Pooled keep-alive connections (the test's own, the agent's, the node's to the built-in registry) come and go; files and pipes must not grow. */
const fdSlack = { sockets: 40, otherFds: 6 };

// HTTPS, as lanternd serves by default and kubectl and lcctl speak it; and plain HTTP (--insecure-http),
// where a half-closed connection stays half-open instead of being closed by the TLS layer.
for (const transport of ['https', 'http'] as const) {
  describe(`hanging up on every streaming endpoint over ${transport} at random points (seed ${seed}: replay with HANGUP_SEED=${seed})`, { timeout: 300_000 }, () => {
    const server = new TestServer([], { https: transport === 'https' });
    const cli = new Cli(server);
    const agent = new RemoteAgent(server, 'edge-hang');
    const scratch = mkdtempSync(path.join(tmpdir(), 'lantern-hangup-'));
    const daemons: Daemon[] = [];
    const baseline = new Map<string, Holdings>();
    let targets: Targets;
    let port = 0;
    let baseWatchers = 0;
    const results: { c: Case; o: Outcome }[] = [];
    const sideStatuses: number[] = [];
    const warmups: { c: Case; o: Outcome }[] = [];

    const metrics = async (): Promise<string> => {
      const r = await server.api<string>('GET', '/metrics');
      assert.equal(r.status, 200, `GET /metrics: ${String(r.body)}`);
      return r.body;
    };
    const runCase = async (c: Case): Promise<void> => {
      const o = await converse(port, c.token, c.req, c.hangup, server.ca);
      results.push({ c, o });
      for (const s of c.side ?? []) sideStatuses.push(await s);
    };

    before(async () => {
      console.log(`hang-up test over ${transport}: seed ${seed} (replay: HANGUP_SEED=${seed})`);
      // The server runs with the race amplifier preloaded (see widen-exit-race.ts).
      const flags = process.env.LANTERND_NODE_FLAGS;
      process.env.LANTERND_NODE_FLAGS = `${flags ?? ''} --import ${pathToFileURL(path.join(repoRoot, 'dist/test/harness/widen-exit-race.js')).href}`;
      try { await server.start(); } finally { if (flags === undefined) delete process.env.LANTERND_NODE_FLAGS; else process.env.LANTERND_NODE_FLAGS = flags; }
      port = Number(new URL(server.url).port);
      await cli.importBusybox();
      await agent.start();
      for (const [pod, node] of [['hang-local', 'node-1'], ['hang-remote', 'edge-hang']] as const) {
        const r = await server.api('POST', '/api/v1/namespaces/default/pods', hangPod(pod, node));
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      const ids = new Map<string, string[]>();
      for (const pod of ['hang-local', 'hang-remote']) {
        const view = await server.until(`pod ${pod} running`, async () => {
          const r = await server.api<PodView>('GET', `/api/v1/namespaces/default/pods/${pod}`);
          const cs = r.body.status?.containerStatuses ?? [];
          return r.body.status?.phase === 'Running' && cs.length === 3 && cs.every((c) => c.containerID) ? r.body : undefined;
        }, 90_000);
        // The ticker's own `sleep 0.2` comes and goes: only the echo and idle containers are counted.
        ids.set(pod, (view.status?.containerStatuses ?? []).filter((c) => c.name !== 'ticker').map((c) => (c.containerID ?? '').replace(/^[a-z]+:\/\//, '')));
      }
      const joinToken = server.joinToken;
      const joined = await server.api<{ token?: string }>('POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'hang-node', nodeSecret: randomBytes(32).toString('base64url') }, joinToken);
      assert.equal(joined.status, 201, JSON.stringify(joined.body));
      const manifest = await request(server, 'GET', '/v2/library/busybox/manifests/latest', { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' });
      assert.equal(manifest.status, 200, 'busybox is mirrored into the built-in registry');
      const layers = (JSON.parse(manifest.body) as { layers?: { digest: string }[] }).layers ?? [];
      targets = {
        pods: [{ pod: 'hang-local', node: 'node-1' }, { pod: 'hang-local', node: 'node-1' }, { pod: 'hang-remote', node: 'edge-hang' }],
        registryHost: new URL(server.url).host,
        adminToken: server.token,
        blobDigest: layers[0]?.digest ?? '',
        buildContext: buildContext(scratch),
        imageArchive: readFileSync(busyboxArchive()),
        uploadBlob: randomBytes(512 * 1024),
        newUpload: async () => (await request(server, 'POST', '/v2/hangup/blob/blobs/uploads/')).location ?? '/v2/hangup/blob/blobs/uploads/none',
        tunnelNode: 'hang-node',
        tunnelToken: joined.body.token ?? '',
        // Bounded, so a call the server never answers shows up as -1 instead of hanging the test.
        callTunnelNode: () => Promise.race([
          server.api('GET', '/apis/lantern.dev/v1/images?node=hang-node').then((r) => r.status, () => 0),
          new Promise<number>((r) => setTimeout(() => r(-1), 60_000).unref()),
        ]),
      };
      const agentPid = [...allProcesses().values()].find((p) => p.cmd.includes(' agent ') && p.cmd.includes(agent.dataDir))?.pid;
      assert.ok(agentPid, 'the remote agent process is found');
      daemons.push({ name: 'lanternd server', pid: server.proc!.pid!, runcRoot: path.join(server.dataDir, 'agent/containers/runc'), containers: ids.get('hang-local')! });
      daemons.push({ name: 'lanternd agent', pid: agentPid, runcRoot: path.join(agent.dataDir, 'containers/runc'), containers: ids.get('hang-remote')! });
      // Warm up: one whole conversation per endpoint, so what loads lazily (node-pty, the build
      // cache, image layers) is in the baseline, not counted as a leak.
      const warm = new Prng((seed ^ 0x5eed ^ (transport === 'http' ? 0x7f7f : 0)) >>> 0);
      for (const [endpoint] of weights) {
        let c = await planCase(warm, targets, [endpoint]);
        while (c.refused) c = await planCase(warm, targets, [endpoint]);
        const point = c.hangup.point === 'mid-upload' || c.hangup.point === 'mid-head' || c.hangup.point === 'before-answer' ? 'at-answer' : c.hangup.point;
        warmups.push({ c, o: await converse(port, c.token, c.req, { ...c.hangup, point, how: 'close' }, server.ca) });
        for (const s of c.side ?? []) await s;
      }
      // The baseline is taken once the warm-up's runc and tar processes are gone.
      await settle(() => daemons.every((d) => !snapshot(d).below.some((p) => /\b(runc|tar)\b/.test(p.cmd))));
      for (const d of daemons) baseline.set(d.name, snapshot(d));
      baseWatchers = metric(await metrics(), 'apiserver_registered_watchers');
    });

    after(async () => {
      await agent.remove('hang-remote');
      await server.stop();
      rmSync(scratch, { recursive: true, force: true });
    });

    test(`${caseCount / 2} random hang-ups: the server stays up, answers, and logs no uncaught error`, async () => {
      const rng = new Prng((seed ^ (transport === 'http' ? 0x7f7f7f7f : 0)) >>> 0);
      const plan: Case[] = [];
      for (let i = 0; i < caseCount / 2; i++) plan.push(await planCase(rng, targets, only));
      const queues: Case[][] = Array.from({ length: lanes + 1 }, () => []);
      plan.forEach((c, i) => queues[c.endpoint === 'tunnel' ? lanes : i % lanes]!.push(c));
      await Promise.all(queues.map(async (q) => { for (const c of q) await runCase(c); }));

      const summary = new Map<string, Record<string, number>>();
      for (const { c, o } of results) {
        const row = summary.get(c.endpoint) ?? {};
        const key = `${o.status ?? '-'}/${o.ended}`;
        row[key] = (row[key] ?? 0) + 1;
        summary.set(c.endpoint, row);
      }
      console.log(`${transport}, seed ${seed}: ${results.length} conversations\n${[...summary].map(([e, r]) => `  ${e}: ${JSON.stringify(r)}`).join('\n')}`);

      assert.equal(server.proc?.exitCode, null, `lanternd server died (seed ${seed}):\n${server.logs.slice(-6000)}`);
      assert.ok(running(daemons[1]!.pid), `lanternd agent died (seed ${seed}):\n${agent.log.slice(-6000)}`);
      const health = await server.api<string>('GET', '/healthz');
      assert.equal(health.status, 200);
      if (process.env.HANGUP_DUMP) console.log(server.logs + '\n=== agent ===\n' + agent.log);
      const bugs = server.logs.split('\n').filter((l) => /BUG:|Unhandled 'error' event|uncaught/i.test(l));
      assert.deepEqual(bugs, [], `the server logged uncaught errors (seed ${seed}):\n${server.logs.slice(-6000)}`);
      const exposed = await metrics();
      assert.match(exposed, /^# TYPE lanternd_uncaught_errors_total counter$/m, 'the server counts uncaught errors');
      assert.equal(metric(exposed, 'lanternd_uncaught_errors_total'), 0, `lanternd_uncaught_errors_total (seed ${seed})`);
      // A client that hangs up is not a server fault: nothing is logged as an internal error.
      const internal = [...server.logs.split('\n'), ...agent.log.split('\n')].filter((l) => /internal error/i.test(l));
      assert.deepEqual(internal, [], `internal errors logged for clients that hung up (seed ${seed})`);
      const agentBugs = agent.log.split('\n').filter((l) => /BUG:|Unhandled 'error' event|uncaught/i.test(l));
      assert.deepEqual(agentBugs, [], `the agent logged uncaught errors (seed ${seed}):\n${agent.log.slice(-6000)}`);
      // Each endpoint really works (so the hang-ups cut real streams): its warm-up conversation got 101 or 2xx.
      for (const { c, o } of warmups) {
        assert.ok(o.status !== undefined && o.status >= 101 && o.status < 300, `warm-up ${c.endpoint} (${c.variant}, ${c.hangup.point}) answered ${o.status ?? 'nothing'} (${o.ended})`);
      }
      // A client that stays to the end gets an end: no conversation is left hanging by the server.
      const stuck = results.filter(({ c, o }) => c.hangup.point === 'complete' && o.ended === 'timeout');
      assert.deepEqual(stuck.map(({ c }) => `${c.endpoint} ${c.variant}`), [], `conversations the server never finished (seed ${seed})`);
      assert.ok(!sideStatuses.includes(-1), `a call routed to the hung-up tunnel was never answered (seed ${seed}): ${sideStatuses.join(' ')}`);
    });

    test('nothing is leaked: processes, container processes, fds, watches, memory', async () => {
      let problems: string[] = [];
      let watchers = 0;
      const clientPorts = new Set(results.flatMap(({ o }) => (o.localPort === undefined ? [] : [o.localPort])));
      // Builds queued before a hang-up finish, killed processes are reaped: wait for that, then compare.
      await settle(async () => {
        watchers = metric(await metrics(), 'apiserver_registered_watchers');
        problems = daemons.flatMap((d) => leftovers(d, baseline.get(d.name)!, snapshot(d), fdSlack, clientPorts));
        if (watchers > baseWatchers) problems.push(`${watchers} registered watchers, ${baseWatchers} before`);
        return problems.length === 0;
      }, 60_000);
      // Name the conversations whose connections the server still holds, to replay them alone.
      const held = new Set([...problems.join(' ').matchAll(/\d+->(\d+)/g)].map((m) => Number(m[1])));
      const heldCases = results.filter(({ o }) => o.localPort !== undefined && held.has(o.localPort)).map(({ c, o }) => `${c.endpoint} ${c.variant} ${c.hangup.point}/${c.hangup.how}/${c.hangup.bytes} -> ${o.status ?? '-'} ${o.ended}`);
      assert.deepEqual(problems, [], `leaks after the hang-ups (seed ${seed}); conversations still held by the server:\n${heldCases.join('\n')}`);
      const server0 = baseline.get('lanternd server')!;
      const rss = snapshot(daemons[0]!).rss;
      console.log(`${transport}: server RSS ${Math.round(rss / 1048576)} MiB after, ${Math.round(server0.rss / 1048576)} MiB before`);
      assert.ok(rss <= server0.rss + rssSlackBytes, `server RSS ${Math.round(rss / 1048576)} MiB, ${Math.round(server0.rss / 1048576)} MiB before (bound +${rssSlackBytes / 1048576} MiB; seed ${seed})`);
    });
  });
}
