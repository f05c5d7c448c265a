/**
 * bench:start — how long a container takes to start.
 *  (a) whole process: `lcctl run --rm busybox true` vs `docker run --rm busybox true` vs raw `runc run`.
 *  (b) API level: 100 pods created one after another; create request sent -> watch shows it running.
 */
import { busyboxArchive } from '../test/harness/lanternd.js';
import { runBenchmark } from './lib/cleanup.js';
import { ensureDocker, loadBusybox } from './lib/docker.js';
import { deletePods, lcctlBin, listPods, startLantern } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { podStartTimings } from './lib/pod-latency.js';
import { timedOk, until } from './lib/proc.js';
import { rounds } from './lib/rounds.js';
import { makeBundle } from './lib/runc-bundle.js';
import { median, ms, percentile, ratio, table, verdict } from './lib/stats.js';

const WARMUPS = 2;
const RUNS = 20;
const PODS = 100;
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

runBenchmark('bench:start', async () => {
  say('== bench:start: container start latency ==');
  say(machineReport());
  const archive = busyboxArchive();
  const lantern = await startLantern();
  const docker = await ensureDocker();
  loadBusybox(docker, archive);
  const bundle = makeBundle(archive);
  say(`dockerd:     ${docker.startedHere ? 'started by this benchmark' : 'was already running'} (pid ${docker.pid})`);

  say(`\n-- (a) whole-process latency: median and p90 of ${RUNS} runs after ${WARMUPS} warm-ups each, taking turns --`);
  const samples = await rounds([
    {
      name: 'lantern',
      run: () => timedOk(lcctlBin, ['run', '--rm', 'busybox', 'true'], lantern.env),
      // lcctl returns once the pod object is gone; the agent then removes the container's files and
      // network namespace: let it finish (untimed) so the next contender does not share the CPUs with it.
      after: async () => { await until('the --rm pod to be gone', async () => (await listPods(lantern.client)).length === 0, 30_000, 20); },
    },
    { name: 'docker', run: () => timedOk(docker.bin, ['run', '--rm', 'busybox', 'true']) },
    { name: 'runc', run: (i) => timedOk('runc', ['--root', bundle.root, 'run', '--bundle', bundle.dir, `bench-${process.pid}-${i}`]) },
  ], WARMUPS, RUNS, (r) => { if (r % 5 === 0) process.stderr.write(`  round ${r}/${RUNS}\n`); });
  const lt = samples.get('lantern')!;
  const dk = samples.get('docker')!;
  const rc = samples.get('runc')!;
  const row = (label: string, v: number[]): string[] => [label, ms(median(v)), ms(percentile(v, 90)), ms(Math.min(...v)), ms(Math.max(...v))];
  say(table([
    ['command', 'median', 'p90', 'min', 'max'],
    row('lcctl run --rm busybox true', lt),
    row('docker run --rm busybox true', dk),
    row('runc run (same rootfs, `true`)', rc),
  ]));
  const lOverD = median(lt) / median(dk);
  say(`ratio lantern/docker (medians): ${ratio(median(lt), median(dk))}  (target <= 0.6: ${verdict(lOverD <= 0.6)})`);
  say(`ratio lantern/runc   (medians): ${ratio(median(lt), median(rc))}`);
  say('networking: both defaults are comparable — Docker puts the container on its default bridge (docker0, veth + IPAM),');
  say('Lantern on its bridge via CNI (bridge + host-local plugins); raw runc only gets an empty network namespace.');
  say('removal: both wait until the container is gone from the API (docker ps -a / lcctl ps -a); Lantern then deletes');
  say('its files and network namespace in the background (waited for, untimed, between runs).');

  const fixed = await rounds([
    { name: 'lcctl', run: () => timedOk(lcctlBin, ['version'], lantern.env) },
    { name: 'docker', run: () => timedOk(docker.bin, ['version']) },
  ], 1, 10);
  say(`client fixed cost (median of 10 \`version\` calls, one API round trip): lcctl ${ms(median(fixed.get('lcctl')!))}, docker ${ms(median(fixed.get('docker')!))}`);

  say(`\n-- (b) API level: ${PODS} pods (busybox sleep 3600, restartPolicy Never) created one after another --`);
  say('per pod: create request sent -> first watch event showing the container running');
  const names: string[] = [];
  let timings: Awaited<ReturnType<typeof podStartTimings>>;
  try {
    timings = await podStartTimings(lantern.client, PODS, names);
  } finally {
    const t0 = performance.now();
    await deletePods(lantern.client, names);
    say(`cleanup: deleted ${names.length} pods and waited until the agent removed them: ${ms(performance.now() - t0)}`);
  }
  const run = timings.map((t) => t.running);
  const created = timings.map((t) => t.created);
  const bound = timings.map((t) => t.bound);
  say(table([
    ['stage (from request sent)', 'p50', 'p99', 'max'],
    ['create answered', ms(percentile(created, 50)), ms(percentile(created, 99)), ms(Math.max(...created))],
    ['watch: bound to the node', ms(percentile(bound, 50)), ms(percentile(bound, 99)), ms(Math.max(...bound))],
    ['watch: container running', ms(percentile(run, 50)), ms(percentile(run, 99)), ms(Math.max(...run))],
  ]));
  say(`pod start p50 ${ms(percentile(run, 50))} (target <= 40 ms: ${verdict(percentile(run, 50) <= 40)}), p99 ${ms(percentile(run, 99))}`);
  say(`first 10 pods p50 ${ms(percentile(run.slice(0, 10), 50))}, last 10 pods p50 ${ms(percentile(run.slice(-10), 50))} (with ${PODS - 1} others running)`);
  say(`load avg at the end: ${load()}`);
});
