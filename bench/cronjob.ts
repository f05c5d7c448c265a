/**
 * bench:cronjob — BENCH_CRONJOBS (1,000) CronJobs scheduled every minute for BENCH_MINUTES (5; `--minutes
 * N` too, 1 for a quick run) against `lanternd server --no-agent` with BENCH_NODES (50) `lanternd sim`
 * nodes whose pods succeed 1 s after they start. For each scheduled run: the time its Job reached a
 * Job watch minus its scheduled time (the minute), p50/p99/max and the share within 1 s (the issue's
 * target: runs start within one second of their schedule); and the server's CPU (/proc of lanternd)
 * over the measured minutes. There is no peer here (no Kubernetes): the ratio is against the 1 s target.
 */
import type { CronJob } from '../src/api/schema/cronjob.js';
import type { Job } from '../src/api/schema/job.js';
import { scheduledTimestampAnnotation } from '../src/controllers/cronjob/index.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { cpuSeconds } from './lib/cpu.js';
import { newClient } from './lib/lantern.js';
import { TestServer } from '../test/harness/lanternd.js';
import { machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { startSim, waitReady } from './lib/sim.js';
import { percentile, ratio, table, verdict } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const flag = process.argv.indexOf('--minutes');
const MINUTES = Number((flag >= 0 ? process.argv[flag + 1] : undefined) ?? process.env.BENCH_MINUTES ?? '5');
const COUNT = Number(process.env.BENCH_CRONJOBS ?? '1000');
const NODES = Number(process.env.BENCH_NODES ?? '50');
const CLIENTS = 16;
const minute = 60_000;

const cronJob = (i: number): CronJob => ({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: `cj${i}`, namespace: 'default' },
  spec: {
    schedule: '* * * * *', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1,
    jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] } } } },
  },
});

runBenchmark('bench:cronjob', async () => {
  if (!Number.isInteger(MINUTES) || MINUTES < 1) throw new Error(`--minutes / BENCH_MINUTES: a whole number >= 1, got ${MINUTES}`);
  say('== bench:cronjob: CronJobs every minute ==');
  say(machineReport());
  say(`${COUNT} CronJobs '* * * * *' for ${MINUTES} measured minute(s); ${NODES} simulated nodes (pods Succeeded 1 s after start); server --no-agent`);
  const server = new TestServer(['--no-agent']);
  onCleanup('stop lanternd server and remove its data dir', () => server.stop());
  await server.start();
  const pid = server.proc?.pid;
  if (pid === undefined) throw new Error('lanternd server has no pid');
  const client = newClient(server);
  const sim = startSim(server.url, server.token, NODES, '10s', ['--run-for', '1s']);
  await waitReady(client, NODES, performance.now(), () => (sim.proc.exitCode !== null ? `lanternd sim exited: ${sim.output()}` : undefined), 300_000);

  // Delay of each run: when the watch first saw its Job, minus the scheduled time the Job carries.
  const delays = new Map<string, { scheduled: number; delayMs: number }>();
  const w = client.watch<Job>('jobs', 'default', {}, (e) => {
    if (e.type !== 'ADDED' || delays.has(e.object.metadata.name)) return;
    const at = Date.parse(e.object.metadata.annotations?.[scheduledTimestampAnnotation] ?? '');
    if (!Number.isNaN(at)) delays.set(e.object.metadata.name, { scheduled: at, delayMs: Date.now() - at });
  });
  onCleanup('stop the job watch', () => { w.stop(); });

  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    for (let i = next++; i < COUNT; i = next++) { checkStop(); await client.create('cronjobs', cronJob(i)); }
  }));
  say(`created ${COUNT} CronJobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Measure whole minutes only: from the first minute boundary after every CronJob exists.
  const first = Math.ceil((Date.now() + 1000) / minute) * minute;
  const last = first + (MINUTES - 1) * minute;
  await sleep(first - Date.now() - 500);
  const cpu0 = cpuSeconds(pid) ?? 0;
  const wall0 = Date.now();
  say(`measuring the runs scheduled ${new Date(first).toISOString()} .. ${new Date(last).toISOString()}`);
  const inWindow = (): Array<{ scheduled: number; delayMs: number }> => [...delays.values()].filter((d) => d.scheduled >= first && d.scheduled <= last);
  // A run not seen within 55 s of its minute counts as missing (the next minute's runs would mix in).
  const end = last + 55_000;
  for (let m = first; m <= last; m += minute) {
    await sleep(Math.max(0, Math.min(m + 20_000, end) - Date.now()));
    checkStop();
    say(`  ${new Date(m).toISOString()}: ${inWindow().filter((d) => d.scheduled === m).length} of ${COUNT} runs created`);
  }
  await sleep(Math.max(0, end - Date.now()));
  // CPU over the measured minutes (up to one minute after the last schedule).
  const cpuS = (cpuSeconds(pid) ?? cpu0) - cpu0;
  const wallS = (Date.now() - wall0) / 1000;
  const runs = inWindow().map((d) => d.delayMs);
  const expected = COUNT * MINUTES;
  const p99 = percentile(runs, 99);
  const within = runs.filter((d) => d <= 1000).length;
  say();
  say(table([
    ['runs expected', 'runs seen', 'p50 delay', 'p99 delay', 'max delay', 'within 1 s', 'p99 / 1 s target', 'server CPU'],
    [String(expected), String(runs.length), `${percentile(runs, 50).toFixed(0)} ms`, `${p99.toFixed(0)} ms`, `${Math.max(...runs, 0).toFixed(0)} ms`,
      `${((within / Math.max(1, expected)) * 100).toFixed(1)} %`, ratio(p99, 1000), `${((cpuS / wallS) * 100).toFixed(1)} % of a core (${cpuS.toFixed(1)} s over ${wallS.toFixed(0)} s)`],
  ]));
  say(`target p99 <= 1 s with every run seen: ${verdict(p99 <= 1000 && runs.length === expected)}`);
});
