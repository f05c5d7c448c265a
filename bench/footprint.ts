/**
 * bench:footprint — resident memory (VmRSS) of the platform daemons, idle and with 50 running
 * containers, against dockerd + containerd. Per-container monitors (conmon; containerd-shim) are
 * summed separately.
 */
import { busyboxArchive } from '../test/harness/lanternd.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { ensureDocker, loadBusybox, removeContainers } from './lib/docker.js';
import { deletePods, startLantern } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { podStartTimings } from './lib/pod-latency.js';
import { sleep } from './lib/proc.js';
import { processes, rssKib, rssOf, type ProcInfo } from './lib/rss.js';
import { mb, ratio, table, verdict } from './lib/stats.js';

const CONTAINERS = 50;
const SETTLE_MS = 5000;
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const avg = (kib: number, n: number): string => (n > 0 ? mb(kib / n) : '-');

runBenchmark('bench:footprint', async () => {
  say('== bench:footprint: resident memory (VmRSS) ==');
  say(machineReport());
  const archive = busyboxArchive();

  // Lantern first, alone; Docker is started only afterwards so neither idles next to the other's load.
  const lantern = await startLantern();
  const mine = `${lantern.server.dataDir}/agent/`;
  const conmons = (p: ProcInfo): boolean => p.comm === 'conmon' && p.cmdline.includes(mine);
  await sleep(SETTLE_MS);
  const ltIdle = rssKib(lantern.pid);
  const ltChildren = processes().filter((p) => p.ppid === lantern.pid);
  const names: string[] = [];
  onCleanup('delete the footprint pods', () => deletePods(lantern.client, names).catch(() => undefined));
  const t0 = performance.now();
  await podStartTimings(lantern.client, CONTAINERS, names, 'fp');
  const ltStartAll = performance.now() - t0;
  await sleep(SETTLE_MS);
  const ltBusy = rssKib(lantern.pid);
  const conmon = rssOf(conmons);
  await deletePods(lantern.client, names);
  names.length = 0;
  await sleep(SETTLE_MS);
  const ltAfter = rssKib(lantern.pid);
  await lantern.server.stop();

  const docker = await ensureDocker();
  loadBusybox(docker, archive);
  await sleep(SETTLE_MS);
  const dockerd = (): number => rssKib(docker.pid);
  const ctrdProc = processes().find((p) => p.comm === 'containerd' && p.ppid === docker.pid) ?? processes().find((p) => p.comm === 'containerd');
  const containerd = (): number => (ctrdProc ? rssKib(ctrdProc.pid) : 0);
  const dIdle = dockerd();
  const cIdle = containerd();
  const ids: string[] = [];
  onCleanup('remove the footprint docker containers', () => removeContainers(docker, ids));
  const t1 = performance.now();
  for (let i = 0; i < CONTAINERS; i++) { checkStop(); ids.push(docker.cli(['run', '-d', 'busybox', 'sleep', '3600'])); }
  const dkStartAll = performance.now() - t1;
  await sleep(SETTLE_MS);
  const dBusy = dockerd();
  const cBusy = containerd();
  const idSet = new Set(ids);
  const shim = rssOf((p) => p.comm.startsWith('containerd-shim') && [...p.cmdline.matchAll(/-id (\w+)/g)].some((m) => idSet.has(m[1] ?? '')));

  say(`dockerd:     ${docker.startedHere ? 'started by this benchmark (fresh)' : 'was already running (its idle figure includes its history)'}; containerd ${ctrdProc ? `pid ${ctrdProc.pid}${ctrdProc.ppid === docker.pid ? ' (child of dockerd)' : ' (system)'}` : 'not found'}`);
  say(`settling:    ${SETTLE_MS / 1000} s before each reading; ${CONTAINERS} containers = busybox \`sleep 3600\` (Lantern: pods through the API, restartPolicy Never; Docker: docker run -d)`);
  say(`lanternd child processes while idle: ${ltChildren.length === 0 ? 'none' : ltChildren.map((p) => `${p.comm}(${p.pid})`).join(', ')}`);
  say('');
  say(table([
    ['process', 'idle', `${CONTAINERS} containers`, 'growth per container'],
    ['lanternd (one process: API, store, scheduler, agent)', mb(ltIdle), mb(ltBusy), mb((ltBusy - ltIdle) / CONTAINERS)],
    [`conmon (${conmon.count} processes): total / average`, '-', `${mb(conmon.kib)} / ${avg(conmon.kib, conmon.count)}`, ''],
    ['dockerd', mb(dIdle), mb(dBusy), mb((dBusy - dIdle) / CONTAINERS)],
    ['containerd', mb(cIdle), mb(cBusy), mb((cBusy - cIdle) / CONTAINERS)],
    ['dockerd + containerd', mb(dIdle + cIdle), mb(dBusy + cBusy), mb((dBusy + cBusy - dIdle - cIdle) / CONTAINERS)],
    [`containerd-shim (${shim.count} processes): total / average`, '-', `${mb(shim.kib)} / ${avg(shim.kib, shim.count)}`, ''],
    ['lantern total (lanternd + conmon)', mb(ltIdle), mb(ltBusy + conmon.kib), ''],
    ['docker total (dockerd + containerd + shims)', mb(dIdle + cIdle), mb(dBusy + cBusy + shim.kib), ''],
  ]));
  say('');
  say(`ratio lanternd / (dockerd + containerd): idle ${ratio(ltIdle, dIdle + cIdle)}, with ${CONTAINERS} containers ${ratio(ltBusy, dBusy + cBusy)}`);
  say(`ratio per-container monitor conmon / containerd-shim (averages): ${ratio(conmon.kib / Math.max(1, conmon.count), shim.kib / Math.max(1, shim.count))}`);
  say(`ratio totals with monitors, ${CONTAINERS} containers: ${ratio(ltBusy + conmon.kib, dBusy + cBusy + shim.kib)}`);
  say(`monitors by PSS (shared pages split, so identical processes are not counted ${CONTAINERS} times): conmon ${mb(conmon.pssKib)} total, containerd-shim ${mb(shim.pssKib)} total`);
  say(`lanternd idle ${mb(ltIdle)} (target <= 120 MB: ${verdict(ltIdle / 1024 <= 120)}); after removing the ${CONTAINERS} pods and settling: ${mb(ltAfter)}`);
  say(`(starting the ${CONTAINERS} one after another took ${(ltStartAll / 1000).toFixed(1)} s with Lantern, ${(dkStartAll / 1000).toFixed(1)} s with docker run -d)`);
  say(`load avg at the end: ${load()}`);
});
