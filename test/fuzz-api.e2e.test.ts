/**
 * Issue 11's fuzz test: about 10,000 generated malformed and mutated requests to a real `lanternd
 * server --no-agent` (so a crash shows as the process dying), over every route and content type,
 * as the admin, a node credential, the join token, no token and a garbage one. Asserts: the process
 * lives, no request gets a 5xx (but 503 for a node that is not connected), no answer is cut or
 * missing, no watch answers 200 for a request it should refuse, no kind is served under another
 * group, nothing uncaught is logged, and the server's memory stays bounded.
 *
 * Seeded: the seed is printed; LANTERN_FUZZ_SEED=N replays a run, LANTERN_FUZZ_REQUESTS=N sizes it.
 * A fault's line names its request number, method, path, identity, content type and body head.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { kinds } from '../src/api/kinds/index.js';
import { TestServer } from './harness/lanternd.js';
import { Prng, seedFrom } from './harness/prng.js';
import { hostileRequest, nextRequest, type FuzzKind, type FuzzRequest, type Who } from './harness/fuzz-requests.js';
import { send } from './harness/fuzz-client.js';

const total = Number(process.env.LANTERN_FUZZ_REQUESTS ?? 10_000);
const inFlight = 12;
/** The run stops after this many faults (LANTERN_FUZZ_MAX_FAULTS: more, to see every kind of fault at once). */
const maxFaults = Number(process.env.LANTERN_FUZZ_MAX_FAULTS ?? 25);
/**
 * The server's resident memory may grow by this much over the run (with the heap cap below, 10,000
 * requests grow it by 50-70 MB and 40,000 by under 90 MB); one 1M-deep JSON body alone cost 170 MB
 * before the bound.
 */
const rssGrowthBound = 160 * 1024 * 1024;

/** Resident memory of PID in bytes; 0 once it is gone. */
function rss(pid: number): number {
  try { return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024; } catch { return 0; }
}

/** The server's V8 heap is capped: a request that needs more kills it (and fails the test) instead of swelling it. */
const heapLimitMb = 192;

const server = new TestServer(['--no-agent']);
before(async () => {
  process.env.LANTERND_NODE_FLAGS = `${process.env.LANTERND_NODE_FLAGS ?? ''} --max-old-space-size=${heapLimitMb}`;
  await server.start();
});
after(async () => { await server.stop(); });

test(`${total} malformed and mutated requests: no 5xx, no crash, no cut answer, bounded memory`, { timeout: 600_000 }, async () => {
  const seed = seedFrom('LANTERN_FUZZ_SEED');
  console.log(`fuzz seed ${seed} (replay: LANTERN_FUZZ_SEED=${seed})`);
  const rng = new Prng(seed);
  const port = Number(new URL(server.url).port);
  const joinToken = server.joinToken;
  const joined = await server.api<{ token?: string }>('POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'fuzz-node', nodeSecret: 'fuzz-node-secret-'.padEnd(40, 'x') }, joinToken);
  assert.equal(joined.status, 201, JSON.stringify(joined.body));
  const tokens: Record<Who, string | undefined> = { admin: server.token, node: joined.body.token, join: joinToken, none: undefined, garbage: 'lt-node:fuzz-node:not-the-secret' };
  const fuzzKinds: FuzzKind[] = [...kinds.values()].map((k) => ({ resource: k.resource, kind: k.kind, apiVersion: k.apiVersion, namespaced: k.namespaced }));
  const pid = server.proc!.pid!;
  const alive = (): boolean => server.proc!.exitCode === null && server.proc!.signalCode === null;

  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const faults: string[] = [];
  const statuses = new Map<number, number>();
  let baseline = 0;
  let peak = 0;
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < total && faults.length < maxFaults && alive()) {
      const n = sent++;
      const req: FuzzRequest = n % 100 === 7 ? hostileRequest(rng, Math.floor(n / 100)) : nextRequest(rng, fuzzKinds);
      const out = await send(port, agent, req, tokens[req.who]);
      statuses.set(out.status, (statuses.get(out.status) ?? 0) + 1);
      if (out.fault !== undefined) {
        const body = req.body === undefined ? '' : ` body(${req.body.length} B)=${JSON.stringify(req.body.subarray(0, 80).toString('latin1'))}`;
        const upgrade = req.headers.upgrade === undefined ? '' : ` upgrade:${req.headers.upgrade}`;
        faults.push(`#${n} ${req.method} ${req.path.slice(0, 160)} as ${req.who} [${req.headers['content-type'] ?? 'no type'}]${upgrade}${body}: ${out.fault}`);
      }
      if (n === 300) baseline = rss(pid);
      if (n % 200 === 0) peak = Math.max(peak, rss(pid));
      if (process.env.LANTERN_FUZZ_TRACE && n % 2000 === 0) console.log(`fuzz: #${n} server RSS ${Math.round(rss(pid) / 2 ** 20)} MB`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  agent.destroy();

  const summary = [...statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s}:${c}`).join(' ');
  console.log(`fuzz: ${sent} requests; answers by status ${summary}; server RSS ${Math.round(baseline / 2 ** 20)} MB after 300, peak ${Math.round(peak / 2 ** 20)} MB`);
  assert.ok(alive(), `lanternd server died (exit ${server.proc!.exitCode}, signal ${server.proc!.signalCode}) after request #${sent} (seed ${seed}):\n${server.logs.slice(-3000)}`);
  assert.deepEqual(faults, [], `seed ${seed}: ${faults.length} faults`);
  // Nothing escaped into the last-resort handler or came back as an internal error.
  assert.doesNotMatch(server.logs, /BUG:|internal error/, server.logs.slice(-3000));
  const metrics = await server.api<string>('GET', '/metrics');
  if (process.env.LANTERN_FUZZ_TRACE) {
    const byName = new Map<string, number>();
    for (const line of String(metrics.body).split('\n')) { const name = /^[a-z_]+/.exec(line)?.[0]; if (name !== undefined) byName.set(name, (byName.get(name) ?? 0) + 1); }
    console.log(`fuzz: /metrics is ${String(metrics.body).length} bytes: ${[...byName].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, c]) => `${n} ${c}`).join(', ')}`);
  }
  for (const m of String(metrics.body).matchAll(/^lanternd_uncaught_errors_total\{[^}]*\} (\d+)/gm)) assert.equal(m[1], '0', 'uncaught errors counted');
  assert.ok(peak - baseline < rssGrowthBound, `server RSS grew from ${baseline} to ${peak} bytes`);
  // Still serving: health, and an admin list.
  assert.equal((await server.api('GET', '/healthz')).status, 200);
  assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods')).status, 200);
});
