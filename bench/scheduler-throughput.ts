/**
 * bench:scheduler — the real server and scheduler against thousands of simulated nodes (`lanternd
 * sim`, a FAKE runtime that reports pods Running). Pods go in through the HTTP API; latency is the
 * server's own creationTimestamp to PodScheduled=True, throughput is pods bound per second from the
 * first create to the last binding. Two phases: a steady rate (latency), then a burst (throughput).
 *
 * Env: NODES (5000), PODS (100000, the burst), RATES ("250,1000" pods/s) and STEADY_S (10) for the
 * steady phases, CLIENTS (32 keep-alive connections creating), ZONES (10).
 */
import type { Pod } from '../src/api/pod.js';
import type { HttpClient } from '../src/client/http-client.js';
import { TestServer } from '../test/harness/lanternd.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { ProcSampler } from './lib/cpu.js';
import { newClient } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { rssKib } from './lib/rss.js';
import { benchPod, createToBoundMs } from './lib/scheduling-pods.js';
import { startSim, waitReady } from './lib/sim.js';
import { mb, ms, percentile, table, verdict } from './lib/stats.js';

const num = (name: string, dflt: number): number => { const v = Number(process.env[name]); return Number.isFinite(v) && v > 0 ? v : dflt; };
const NODES = num('NODES', 5000);
const PODS = num('PODS', 100_000);
const RATES = (process.env.RATES ?? '250,1000').split(',').map(Number).filter((r) => r > 0);
const STEADY_S = num('STEADY_S', 10);
const CLIENTS = num('CLIENTS', 32);
const ZONES = num('ZONES', 10);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

/** Watches the benchmark's pods and remembers each one's create-to-bound time once it is bound. */
class BoundTracker {
  readonly latency = new Map<string, number>();
  readonly boundAt = new Map<string, number>();
  readonly createdAt = new Map<string, number>();
  private readonly stop: () => void;
  constructor(client: HttpClient) {
    const w = client.watch<Pod>('pods', 'default', {}, (e) => {
      if (e.type === 'DELETED') return;
      const name = e.object.metadata.name;
      if (this.latency.has(name)) return;
      const l = createToBoundMs(e.object);
      if (l === undefined) return;
      this.latency.set(name, l);
      this.boundAt.set(name, Date.parse(e.object.status!.conditions!.find((c) => c.type === 'PodScheduled')!.lastTransitionTime!));
      this.createdAt.set(name, Date.parse(e.object.metadata.creationTimestamp!));
    });
    w.done.catch((e: unknown) => { process.stderr.write(`pod watch ended: ${String(e)}\n`); });
    this.stop = () => w.stop();
  }
  count(prefix: string): number { let n = 0; for (const k of this.latency.keys()) if (k.startsWith(`${prefix}-`)) n++; return n; }
  of(prefix: string): { latencies: number[]; first: number; last: number } {
    const latencies: number[] = [];
    let first = Infinity;
    let last = -Infinity;
    for (const [k, l] of this.latency) {
      if (!k.startsWith(`${prefix}-`)) continue;
      latencies.push(l);
      first = Math.min(first, this.createdAt.get(k)!);
      last = Math.max(last, this.boundAt.get(k)!);
    }
    return { latencies, first, last };
  }
  close(): void { this.stop(); }
}

/** Wait until `count` pods of `prefix` are bound, printing progress; gives up after `idleMs` without progress. */
async function waitBound(tracker: BoundTracker, prefix: string, count: number, idleMs = 60_000): Promise<void> {
  let last = -1;
  let since = performance.now();
  for (;;) {
    checkStop();
    const n = tracker.count(prefix);
    if (n >= count) return;
    if (n !== last) {
      if (Math.floor(n / 5000) !== Math.floor(last / 5000)) process.stderr.write(`  ${prefix}: ${n}/${count} bound\n`);
      last = n;
      since = performance.now();
    }
    if (performance.now() - since > idleMs) { process.stderr.write(`\n  ${prefix}: no progress for ${idleMs / 1000} s, giving up at ${n}/${count}\n`); return; }
    await sleep(250);
  }
}

/** Create pods first..first+count-1 with `clients` connections, as fast as they go or at `rate` per second. */
async function createPods(clients: HttpClient[], prefix: string, count: number, rate?: number): Promise<{ wallMs: number; failed: number }> {
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(clients.map(async (client) => {
    for (let i = next++; i < count; i = next++) {
      checkStop();
      if (rate) { const due = t0 + (i / rate) * 1000; const wait = due - performance.now(); if (wait > 0) await sleep(wait); }
      try { await client.create('pods', benchPod(prefix, i, ZONES)); } catch (e) {
        if (failed++ < 5) process.stderr.write(`create ${prefix}-${i} failed: ${String(e)}\n`);
      }
    }
  }));
  return { wallMs: performance.now() - t0, failed };
}

runBenchmark('bench:scheduler', async () => {
  say('== bench:scheduler: the real server and scheduler placing pods on simulated nodes ==');
  say(machineReport());
  say(`${NODES} simulated nodes (32 cpu, 128Gi, 110 pods each; ${ZONES} zones), heartbeat 10 s, lanternd sim in its own process`);
  say('pods: cpu 100m..1, memory 128Mi..1Gi; 20% with a rule: 5% required node affinity (3 zones), 5% required anti-affinity per host,');
  say('5% zone spread (maxSkew 1, DoNotSchedule), 5% preferred pod affinity per zone (groups of pods share a label)');
  const server = new TestServer(['--no-agent']);
  onCleanup('stop lanternd', () => server.stop());
  await server.start();
  const pid = server.proc!.pid!;
  const client = newClient(server);
  const t0 = performance.now();
  const sim = startSim(server.url, server.token, NODES, '10s', ['--zones', String(ZONES), '--cpu', '32', '--memory', '128Gi', '--pods', '110', '--concurrency', '64']);
  const ready = await waitReady(client, NODES, t0, () => (sim.proc.exitCode !== null ? `lanternd sim exited: ${sim.output().slice(-500)}` : undefined), 600_000);
  say(`${NODES} nodes Ready after ${(ready.allMs / 1000).toFixed(1)} s; server RSS ${mb(rssKib(pid))}`);
  await sleep(2000);

  const tracker = new BoundTracker(client);
  const clients = Array.from({ length: CLIENTS }, () => newClient(server));

  const steadyRows: string[][] = [];
  let p99AtTarget: number | undefined;
  for (const rate of RATES) {
    const count = Math.round(rate * STEADY_S);
    const prefix = `steady${rate}`;
    process.stderr.write(`steady phase: ${count} pods at ${rate}/s\n`);
    const created = await createPods(clients, prefix, count, rate);
    await waitBound(tracker, prefix, count);
    const s = tracker.of(prefix);
    if (rate === 1000) p99AtTarget = percentile(s.latencies, 99);
    steadyRows.push([`steady ${rate}/s`, String(count), String(s.latencies.length), `${(count / (created.wallMs / 1000)).toFixed(0)}/s`,
      `${(s.latencies.length / ((s.last - s.first) / 1000)).toFixed(0)}/s`, ms(percentile(s.latencies, 50)), ms(percentile(s.latencies, 99)), ms(Math.max(...s.latencies)),
      String(created.failed)]);
    await sleep(2000);
  }

  process.stderr.write(`\nburst phase: ${PODS} pods\n`);
  const sampler = new ProcSampler(pid);
  const burst = await createPods(clients, 'burst', PODS);
  await waitBound(tracker, 'burst', PODS);
  const usage = sampler.stop();
  const b = tracker.of('burst');
  tracker.close();
  process.stderr.write('\n');

  const burstRate = b.latencies.length / ((b.last - b.first) / 1000);
  say('');
  say(table([
    ['phase', 'pods', 'bound', 'create rate', 'bound/s (create→bound)', 'p50', 'p99', 'max', 'failed creates'],
    ...steadyRows,
    ['burst', String(PODS), String(b.latencies.length), `${(PODS / (burst.wallMs / 1000)).toFixed(0)}/s`, `${burstRate.toFixed(0)}/s`,
      ms(percentile(b.latencies, 50)), ms(percentile(b.latencies, 99)), ms(Math.max(...b.latencies)), String(burst.failed)],
  ]));
  say('');
  say(`server during the burst: CPU ${usage.cpuPct.toFixed(0)}% of one core (peak ${usage.cpuPeakPct.toFixed(0)}%), RSS peak ${mb(usage.rssPeakKib)}, at the end ${mb(usage.rssEndKib)}`);
  say(`sim write failures ${sim.failedWrites()}`);
  say(`targets: >= 5,000 pods/s bound: ${verdict(burstRate >= 5000)} (${burstRate.toFixed(0)}/s); p99 < 100 ms at a steady 1,000/s: ${p99AtTarget === undefined ? 'not run (add 1000 to RATES)' : `${verdict(p99AtTarget < 100)} (${ms(p99AtTarget)})`}`);
  say(`load avg at the end: ${load()}`);
});
