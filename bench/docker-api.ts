/**
 * bench:docker-api — `docker run --rm --network none busybox true` through Lantern's Docker socket
 * (lanternd server --docker-socket) against the same command on Docker Engine (a private dockerd, as
 * test/harness/dockerd.ts starts one: no bridge, so both sides run without a network), same run, taking
 * turns; `lcctl run --rm --network none` as the reference for what the socket adds. RUNS=N (default 20).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBenchmark, onCleanup } from './lib/cleanup.js';
import { PrivateDocker } from '../test/harness/dockerd.js';
import { busyboxArchive } from '../test/harness/lanternd.js';
import { lcctlBin, listPods, startLantern } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { timedOk, until } from './lib/proc.js';
import { rounds } from './lib/rounds.js';
import { median, ms, percentile, ratio, table } from './lib/stats.js';

const WARMUPS = 2;
const RUNS = Number(process.env.RUNS ?? 20);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

runBenchmark('bench:docker-api', async () => {
  say('== bench:docker-api: docker run --rm busybox true, Lantern\'s Docker socket vs Docker Engine ==');
  say(machineReport());
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-bench-docker-api-'));
  onCleanup('remove the socket directory', () => rmSync(dir, { recursive: true, force: true }));
  const sock = path.join(dir, 'docker.sock');
  const lantern = await startLantern({ args: ['--docker-socket', sock] });
  await until('the Docker socket', () => /serving the Docker Engine API/.test(lantern.server.logs), 30_000);
  const engine = new PrivateDocker();
  onCleanup('stop the private dockerd', () => engine.stop());
  await engine.start();
  engine.must(['load', '-i', busyboxArchive()]);
  const clientEnv = { ...process.env, DOCKER_CONFIG: path.join(dir, 'client') };
  const gone = async (): Promise<void> => { await until('the --rm pod to be gone', async () => (await listPods(lantern.client)).length === 0, 30_000, 20); };
  const samples = await rounds([
    { name: 'socket', run: () => timedOk('docker', ['-H', `unix://${sock}`, 'run', '--rm', '--network', 'none', 'busybox', 'true'], clientEnv), after: gone },
    { name: 'docker', run: () => timedOk('docker', ['-H', `unix://${engine.sock}`, 'run', '--rm', '--network', 'none', 'busybox', 'true'], clientEnv) },
    { name: 'lcctl', run: () => timedOk(lcctlBin, ['run', '--rm', '--network', 'none', 'busybox', 'true'], lantern.env), after: gone },
  ], WARMUPS, RUNS, (r) => { if (r % 5 === 0) process.stderr.write(`  round ${r}/${RUNS}\n`); });
  const s = samples.get('socket')!;
  const d = samples.get('docker')!;
  const l = samples.get('lcctl')!;
  const row = (label: string, v: number[]): string[] => [label, ms(median(v)), ms(percentile(v, 90)), ms(Math.min(...v)), ms(Math.max(...v))];
  say(`\n-- median and p90 of ${RUNS} runs after ${WARMUPS} warm-ups each, taking turns --`);
  say(table([
    ['command', 'median', 'p90', 'min', 'max'],
    row('docker -H lantern.sock run --rm busybox true', s),
    row('docker -H dockerd.sock run --rm busybox true', d),
    row('lcctl run --rm busybox true', l),
  ]));
  say(`ratio lantern-socket/docker (medians): ${ratio(median(s), median(d))}`);
  say(`ratio lantern-socket/lcctl  (medians): ${ratio(median(s), median(l))}`);
  say(`load after: ${load()}`);
});
