/**
 * bench:hardening — what the hardening costs, against a real lanternd (--no-agent), in one run:
 *
 * (a) Secret creates/s through the HTTP API with N keep-alive clients: plain, with the audit log at
 *     Metadata (--audit-log-path, no policy), and with --secrets-encryption (when this lanternd has
 *     the flag). Each round starts one fresh server per mode and drives them all AT THE SAME TIME, so
 *     the drift of a shared machine's speed lands on every mode alike; ratios are per round, then the
 *     median of the rounds.
 * (b) GETs of one object answered per second by keep-alive clients over HTTPS, alone and while
 *     1,000 idle keep-alive connections and 200 watches are held (spread over 127.0.0.2... so the
 *     per-address connection cap does not refuse them).
 */
import { spawnSync } from 'node:child_process';
import https from 'node:https';
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HttpClient } from '../src/client/http-client.js';
import { TestServer, lanterndBin } from '../test/harness/lanternd.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { drive } from './lib/drive.js';
import { startLantern } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { median, ms, percentile, table } from './lib/stats.js';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const CREATES = env('BENCH_CREATES', 5000);
/** Creates before the measured ones: a fresh lanternd spends its first ~1,000 requests compiling (JIT). */
const WARMUP = env('BENCH_WARMUP', 2000);
const CLIENTS = env('BENCH_CLIENTS', 16);
const ROUNDS = env('BENCH_ROUNDS', 5);
const SECONDS = env('BENCH_SECONDS', 10);
const IDLE = env('BENCH_IDLE', 1000);
const WATCHES = env('BENCH_WATCHES', 200);
const ADDRESSES = 10;
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

const secret = (name: string): Record<string, unknown> => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', labels: { app: 'bench' } },
  data: { password: Buffer.from(`p-${name}-${'x'.repeat(40)}`).toString('base64'), config: Buffer.from('a'.repeat(512)).toString('base64') },
});

function hasFlag(flag: string): boolean {
  return spawnSync(process.execPath, [lanterndBin, 'server', '--help'], { encoding: 'utf8' }).stdout.includes(flag);
}

interface Mode { name: string; args: (dir: string) => string[] }

/**
 * CPU time lanternd has used, all its threads (ns, /proc/PID/task/T/schedstat): less disturbed by
 * other work on a shared machine than creates/s, which waits for the CPUs it shares.
 */
function cpuNs(pid: number): number {
  let total = 0;
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try { total += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch { /* thread gone */ }
  }
  return total;
}

/** `total` requests shared by the clients (bench/lib/drive.ts), as requests per second. */
async function driveRate(clients: HttpClient[], total: number, one: (c: HttpClient, i: number) => Promise<unknown>): Promise<{ perSec: number; latencies: number[] }> {
  const { wallMs, latencies } = await drive(clients, total, one);
  return { perSec: (total / wallMs) * 1000, latencies };
}

interface Phase { mode: Mode; dir: string; lantern: Awaited<ReturnType<typeof startLantern>>; clients: HttpClient[] }

/** A fresh lanternd (empty store) for one mode, warmed up with WARMUP creates. */
async function startPhase(mode: Mode): Promise<Phase> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-bench-hardening-'));
  onCleanup('remove the audit dir', () => rmSync(dir, { recursive: true, force: true }));
  const lantern = await startLantern({ importImage: false, args: ['--no-agent', ...mode.args(dir)] });
  const clients = Array.from({ length: CLIENTS }, () => new HttpClient({ server: lantern.server.url, token: lantern.server.token }));
  await driveRate(clients, WARMUP, (c, i) => c.create('secrets', secret(`warm-${i}`) as never));
  return { mode, dir, lantern, clients };
}

/** CREATES creates against one phase's server, with the CPU time its lanternd spent on them. */
async function measurePhase(p: Phase, round: number): Promise<{ perSec: number; p99: number; cpuUs: number }> {
  const cpu0 = cpuNs(p.lantern.pid);
  const r = await driveRate(p.clients, CREATES, (c, i) => c.create('secrets', secret(`s${round}-${i}`) as never));
  return { perSec: r.perSec, p99: percentile(r.latencies, 99), cpuUs: (cpuNs(p.lantern.pid) - cpu0) / CREATES / 1000 };
}

async function stopPhase(p: Phase): Promise<number> {
  await p.lantern.server.stop();
  let auditBytes = 0;
  try { auditBytes = statSync(path.join(p.dir, 'audit.log')).size; } catch { /* no audit log in this mode */ }
  rmSync(p.dir, { recursive: true, force: true });
  return auditBytes;
}

async function benchWrites(): Promise<void> {
  const modes: Mode[] = [
    { name: 'plain', args: () => [] },
    { name: 'audit log, Metadata', args: (dir) => ['--audit-log-path', path.join(dir, 'audit.log')] },
  ];
  if (hasFlag('--secrets-encryption')) modes.push({ name: 'secrets encryption', args: () => ['--secrets-encryption'] });
  else say('(this lanternd has no --secrets-encryption flag: that mode is left out)');
  const results = new Map<string, { perSec: number[]; p99: number[]; cpuUs: number[]; auditBytes: number }>(modes.map((m) => [m.name, { perSec: [], p99: [], cpuUs: [], auditBytes: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    // Every mode's server runs at the same time, under the same clients and the same machine: the
    // speed of a shared machine drifts by more than the effect measured, between phases run one
    // after another, but not within one window that all modes share.
    const phases: Phase[] = [];
    for (const mode of modes) phases.push(await startPhase(mode));
    const measured = await Promise.all(phases.map((p) => measurePhase(p, round)));
    for (const [i, p] of phases.entries()) {
      const r = measured[i]!;
      const acc = results.get(p.mode.name)!;
      acc.perSec.push(r.perSec);
      acc.p99.push(r.p99);
      acc.cpuUs.push(r.cpuUs);
      acc.auditBytes = Math.max(acc.auditBytes, await stopPhase(p));
      process.stderr.write(`  round ${round + 1}: ${p.mode.name}: ${r.perSec.toFixed(0)} creates/s, ${r.cpuUs.toFixed(0)} µs lanternd CPU per create\n`);
    }
  }
  const plain = results.get('plain')!;
  // Each mode is compared with the plain server of its own round (same window), and the ratios' median counts.
  const perRound = (values: number[], base: number[]): number => median(values.map((v, i) => v / base[i]!));
  say('');
  say(table([
    ['mode', 'creates/s (median)', 'each round', 'p99 (median)', 'vs plain (median of rounds)', 'CPU µs/create (median)', 'CPU vs plain (median of rounds)', 'target: cost ≤ 10%'],
    ...modes.map((m) => {
      const r = results.get(m.name)!;
      const rate = perRound(r.perSec, plain.perSec);
      const cpu = perRound(r.cpuUs, plain.cpuUs);
      const cost = Math.max(1 - rate, cpu - 1);
      return [m.name, median(r.perSec).toFixed(0), r.perSec.map((v) => v.toFixed(0)).join(' / '), ms(median(r.p99)), rate.toFixed(3), median(r.cpuUs).toFixed(0), cpu.toFixed(3),
        m.name === 'plain' ? '' : `${cost <= 0.10 ? 'met' : 'NOT met'} (worse of the two: ${(cost * 100).toFixed(1)}%)`];
    }),
  ]));
  const audit = results.get('audit log, Metadata');
  if (audit) say(`audit log: ${(audit.auditBytes / (CREATES + WARMUP)).toFixed(0)} bytes per event (last round's file / requests)`);
}

/** Hold COUNT idle keep-alive connections (one answered request each) and watches, spread over loopback addresses. */
async function holdLoad(server: TestServer, idle: number, watches: number): Promise<{ close: () => void; open: () => number }> {
  const url = new URL(server.url);
  const sockets: { destroyed: boolean; destroy: () => void }[] = [];
  const requests: http.ClientRequest[] = [];
  const agents: https.Agent[] = [];
  const local = (i: number): string => `127.0.0.${2 + (i % ADDRESSES)}`;
  const opts = (i: number): https.RequestOptions => ({ host: url.hostname, port: url.port, ca: server.ca, localAddress: local(i), headers: { authorization: `Bearer ${server.token}` } });
  for (let i = 0; i < idle; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, idle - i) }, (_, k) => new Promise<void>((resolve, reject) => {
      // One agent per connection, kept alive and never used again: an idle client.
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: server.ca });
      agents.push(agent);
      const req = https.get({ ...opts(i + k), path: '/version', agent }, (res) => { res.resume(); res.on('end', () => resolve()); });
      req.on('socket', (s) => sockets.push(s));
      req.on('error', reject);
    })));
  }
  for (let i = 0; i < watches; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = https.get({ ...opts(i), path: '/api/v1/namespaces/default/configmaps?watch=1', agent: false }, (res) => { res.resume(); resolve(); });
      req.on('error', reject);
      requests.push(req);
    });
  }
  return {
    open: () => sockets.filter((s) => !s.destroyed).length + requests.filter((r) => !r.destroyed).length,
    close: () => { for (const r of requests) r.destroy(); for (const a of agents) a.destroy(); },
  };
}

async function readsFor(clients: HttpClient[], seconds: number, pid: number): Promise<{ perSec: number; p50: number; p99: number; cpuUs: number }> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let count = 0;
  const t0 = performance.now();
  const cpu0 = cpuNs(pid);
  await Promise.all(clients.map(async (c) => {
    while (performance.now() < end) {
      checkStop();
      const s = performance.now();
      await c.get('configmaps', 'target', 'default');
      latencies.push(performance.now() - s);
      count++;
    }
  }));
  return { perSec: (count / (performance.now() - t0)) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuUs: (cpuNs(pid) - cpu0) / count / 1000 };
}

async function benchReads(): Promise<void> {
  const server = new TestServer(['--no-agent'], { https: true });
  onCleanup('stop lanternd', () => server.stop());
  await server.start();
  const pid = server.proc!.pid!;
  const admin = new HttpClient({ server: server.url, token: server.token, ca: server.ca });
  await admin.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target', namespace: 'default' }, data: { k: 'v'.repeat(200) } } as never);
  const clients = Array.from({ length: CLIENTS }, () => new HttpClient({ server: server.url, token: server.token, ca: server.ca }));
  await readsFor(clients, 1, pid);
  const rssMb = (): string => `${(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024).toFixed(0)} MB`;
  const rows: string[][] = [];
  const alone: number[] = [];
  const loaded: number[] = [];
  const aloneCpu: number[] = [];
  const loadedCpu: number[] = [];
  // Alone and loaded take turns, twice, so a burst of other work on the machine does not decide it.
  for (let round = 1; round <= 2; round++) {
    const a = await readsFor(clients, SECONDS, pid);
    alone.push(a.perSec); aloneCpu.push(a.cpuUs);
    rows.push([`alone (${round})`, a.perSec.toFixed(0), ms(a.p50), ms(a.p99), a.cpuUs.toFixed(0), rssMb(), '0']);
    const held = await holdLoad(server, IDLE, WATCHES);
    const l = await readsFor(clients, SECONDS, pid);
    loaded.push(l.perSec); loadedCpu.push(l.cpuUs);
    rows.push([`${IDLE} idle connections + ${WATCHES} watches held (${round})`, l.perSec.toFixed(0), ms(l.p50), ms(l.p99), l.cpuUs.toFixed(0), rssMb(), String(held.open())]);
    held.close();
  }
  say('');
  say(table([['load held', 'GETs/s', 'p50', 'p99', 'lanternd CPU µs/GET', 'lanternd RSS', 'held connections open at the end'], ...rows]));
  say(`held / alone (medians): GETs/s ${(median(loaded) / median(alone)).toFixed(3)}, CPU per GET ${(median(loadedCpu) / median(aloneCpu)).toFixed(3)}`);
  await server.stop();
}

runBenchmark('bench:hardening', async () => {
  say('== bench:hardening: the cost of the audit log and secrets encryption; reads under held connections ==');
  say(machineReport());
  const part = process.env.BENCH_PART ?? 'ab';
  if (part.includes('a')) {
    say(`(a) ${CREATES} Secret creates per phase after ${WARMUP} warm-up creates, ${CLIENTS} keep-alive clients, plain HTTP, lanternd --no-agent;`);
    say(`    ${ROUNDS} rounds; in each, one fresh server (empty store) per mode, all measured at the same time`);
    await benchWrites();
    say('');
  }
  if (part.includes('b')) {
    say(`(b) GET of one ConfigMap by ${CLIENTS} keep-alive clients over HTTPS for ${SECONDS} s per phase; idle connections: one`);
    say(`    GET /version each, then kept open; watches on configmaps; both spread over ${ADDRESSES} loopback addresses (127.0.0.2...)`);
    await benchReads();
  }
  say(`load avg at the end: ${load()}`);
});
