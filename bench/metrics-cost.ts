/**
 * bench:metrics — what serving cAdvisor metrics costs the agent: lanternd's CPU and resident memory
 * with 100 running containers, idle and then scraped every 15 s at the node proxy path (as a
 * Prometheus would), plus each scrape's latency, size and CPU (lanternd's own time and that of the
 * child processes it waited for, e.g. `runc state`).
 */
import { readFileSync } from 'node:fs';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { deletePods, startLantern } from './lib/lantern.js';
import { machineReport } from './lib/machine.js';
import { podStartTimings } from './lib/pod-latency.js';
import { sleep } from './lib/proc.js';
import { rssKib } from './lib/rss.js';
import { mb, median, percentile, table } from './lib/stats.js';

const CONTAINERS = Number(process.env.METRICS_BENCH_CONTAINERS ?? 100);
const INTERVAL_MS = 15_000;
const WINDOW_MS = Number(process.env.METRICS_BENCH_WINDOW_MS ?? 120_000);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

/** CPU seconds of PID itself and of the children it has waited for (utime+stime, cutime+cstime). */
function cpuWithChildren(pid: number): { self: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return { self: ((f[11] ?? 0) + (f[12] ?? 0)) / 100, children: ((f[13] ?? 0) + (f[14] ?? 0)) / 100 };
}

/** CPU use over a window in which `during` runs, as % of one core (self, children) and peak RSS. */
async function window(pid: number, ms: number, during: (deadline: number) => Promise<void>): Promise<{ selfPct: number; childPct: number; rssKib: number }> {
  const a = cpuWithChildren(pid);
  const t0 = performance.now();
  let peak = rssKib(pid);
  const timer = setInterval(() => { peak = Math.max(peak, rssKib(pid)); }, 1000);
  try { await during(t0 + ms); } finally { clearInterval(timer); }
  const b = cpuWithChildren(pid);
  const s = (performance.now() - t0) / 1000;
  return { selfPct: ((b.self - a.self) / s) * 100, childPct: ((b.children - a.children) / s) * 100, rssKib: Math.max(peak, rssKib(pid)) };
}

runBenchmark('bench:metrics', async () => {
  say('== bench:metrics: cost of the agent\'s cAdvisor metrics ==');
  say(machineReport());
  const lantern = await startLantern();
  const names: string[] = [];
  onCleanup('delete the metrics pods', () => deletePods(lantern.client, names).catch(() => undefined));
  await podStartTimings(lantern.client, CONTAINERS, names, 'mx');
  const path = '/api/v1/nodes/node-1/proxy/metrics/cadvisor';
  const scrape = async (): Promise<{ ms: number; bytes: number; series: number; cpuS: number }> => {
    const c0 = cpuWithChildren(lantern.pid);
    const t0 = performance.now();
    const res = await lantern.client.raw('GET', path);
    const chunks: Buffer[] = [];
    for await (const c of res.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    const ms = performance.now() - t0;
    const c1 = cpuWithChildren(lantern.pid);
    const text = Buffer.concat(chunks).toString();
    if (res.status !== 200) throw new Error(`scrape answered ${res.status}: ${text.slice(0, 300)}`);
    return { ms, bytes: text.length, series: text.split('\n').filter((l) => l.startsWith('container_cpu_usage_seconds_total{')).length, cpuS: (c1.self + c1.children) - (c0.self + c0.children) };
  };
  const first = await scrape();
  if (first.series < CONTAINERS) throw new Error(`the scrape shows ${first.series} containers, expected ${CONTAINERS}`);
  await sleep(5000);

  const idle = await window(lantern.pid, WINDOW_MS, async (deadline) => { while (performance.now() < deadline) { checkStop(); await sleep(500); } });
  const scrapes: Awaited<ReturnType<typeof scrape>>[] = [];
  const scraped = await window(lantern.pid, WINDOW_MS, async (deadline) => {
    while (performance.now() < deadline) {
      checkStop();
      const next = performance.now() + INTERVAL_MS;
      scrapes.push(await scrape());
      await sleep(Math.max(0, Math.min(next, deadline) - performance.now()));
    }
  });
  const lat = scrapes.map((s) => s.ms);
  const perScrapeCpu = median(scrapes.map((s) => s.cpuS));

  say(`containers:  ${CONTAINERS} busybox \`sleep 3600\` pods on the server's own node; windows of ${WINDOW_MS / 1000} s; scrape every ${INTERVAL_MS / 1000} s`);
  say(`scrape:      ${first.series} containers, ${(first.bytes / 1024).toFixed(1)} KiB of text; latency median ${median(lat).toFixed(1)} ms, p90 ${percentile(lat, 90).toFixed(1)} ms over ${lat.length} scrapes`);
  say(`             CPU per scrape (lanternd + waited-for children) median ${(perScrapeCpu * 1000).toFixed(0)} ms = ${((perScrapeCpu / (INTERVAL_MS / 1000)) * 100).toFixed(2)} % of one core at a 15 s interval`);
  say('');
  say(table([
    ['window', 'lanternd CPU % (own)', 'children CPU %', 'lanternd RSS (peak)'],
    ['idle, no scrapes', idle.selfPct.toFixed(2), idle.childPct.toFixed(2), mb(idle.rssKib)],
    ['scraped every 15 s', scraped.selfPct.toFixed(2), scraped.childPct.toFixed(2), mb(scraped.rssKib)],
  ]));
  await deletePods(lantern.client, names);
  names.length = 0;
});
