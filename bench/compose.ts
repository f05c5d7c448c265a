/**
 * bench:compose — `lcctl compose up -d` of a five-service file (depends_on service_healthy:
 * db and cache first, api on both, worker and web on api, each with a 1 s healthcheck) until every service is healthy, against
 * `docker-compose up -d` (Debian's 1.29) of the same file on a private Docker Engine (no bridge, so the
 * services say network_mode: none; lcctl compose warns that it ignores that key), same run, taking
 * turns. Each round brings the project down (untimed) before the next. RUNS=N (default 3).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBenchmark, onCleanup } from './lib/cleanup.js';
import { PrivateDocker } from '../test/harness/dockerd.js';
import { busyboxArchive } from '../test/harness/lanternd.js';
import { lcctlBin, startLantern } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { timed, until } from './lib/proc.js';
import { rounds } from './lib/rounds.js';
import { median, ms, ratio, table } from './lib/stats.js';

const WARMUPS = 1;
const RUNS = Number(process.env.RUNS ?? 3);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const project = 'k3bench';

const service = (name: string, after: string[] = []): string => `  ${name}:
    image: busybox:latest
    command: ["sh", "-c", "touch /tmp/ready; exec sleep 3600"]
    network_mode: none
    stop_grace_period: 1s
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 1s, timeout: 1s, retries: 30}
${after.length === 0 ? '' : `    depends_on: {${after.map((a) => `${a}: {condition: service_healthy}`).join(', ')}}\n`}`;

const SERVICES = 5;
const composeFile = `services:\n${service('db')}${service('cache')}${service('api', ['db', 'cache'])}${service('worker', ['api'])}${service('web', ['api'])}`;

runBenchmark('bench:compose', async () => {
  say(`== bench:compose: compose up -d of ${SERVICES} services (depends_on service_healthy) until all are healthy ==`);
  say(machineReport());
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-bench-compose-'));
  onCleanup('remove the compose directory', () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'compose.yaml');
  writeFileSync(file, composeFile);
  const lantern = await startLantern();
  const engine = new PrivateDocker();
  onCleanup('stop the private dockerd', () => engine.stop());
  await engine.start();
  engine.must(['load', '-i', busyboxArchive()]);
  const dockerEnv = { ...process.env, DOCKER_HOST: `unix://${engine.sock}`, DOCKER_CONFIG: path.join(dir, 'client'), COMPOSE_INTERACTIVE_NO_CLI: '1' };

  const lanternUp = async (): Promise<number> => {
    const start = performance.now();
    const r = await timed(lcctlBin, ['compose', '-f', file, '-p', project, 'up', '-d', '--timeout', '300s'], lantern.env);
    if (r.code !== 0) throw new Error(`lcctl compose up: ${r.stdout}${r.stderr}`);
    await until('every Lantern service healthy', async () => {
      const ps = await timed(lcctlBin, ['compose', '-f', file, '-p', project, 'ps'], lantern.env);
      return (ps.stdout.match(/Up \(healthy\)/g) ?? []).length === SERVICES;
    }, 300_000, 100);
    return performance.now() - start;
  };
  const lanternDown = async (): Promise<void> => {
    await timed(lcctlBin, ['compose', '-f', file, '-p', project, 'down'], lantern.env);
    await until('the project namespace to be gone', async () => (await timed(lcctlBin, ['get', 'namespace', project], lantern.env)).code !== 0, 300_000, 200);
  };
  const dockerUp = async (): Promise<number> => {
    const start = performance.now();
    const r = await timed('docker-compose', ['-f', file, '-p', project, 'up', '-d'], dockerEnv);
    if (r.code !== 0) throw new Error(`docker-compose up: ${r.stdout}${r.stderr}`);
    await until('every Docker service healthy', () => engine.cli(['ps', '--filter', 'health=healthy', '-q']).stdout.trim().split('\n').filter((l) => l !== '').length === SERVICES, 300_000, 100);
    return performance.now() - start;
  };
  const dockerDown = async (): Promise<void> => { await timed('docker-compose', ['-f', file, '-p', project, 'down', '-t', '0'], dockerEnv); };

  const samples = await rounds([
    { name: 'lantern', run: lanternUp, after: lanternDown },
    { name: 'docker', run: dockerUp, after: dockerDown },
  ], WARMUPS, RUNS, (r) => { process.stderr.write(`  round ${r}/${RUNS}\n`); });
  const l = samples.get('lantern')!;
  const d = samples.get('docker')!;
  const row = (label: string, v: number[]): string[] => [label, ms(median(v)), ms(Math.min(...v)), ms(Math.max(...v))];
  say(`\n-- median of ${RUNS} runs after ${WARMUPS} warm-up each, taking turns --`);
  say(table([
    [`command (until all ${SERVICES} healthy)`, 'median', 'min', 'max'],
    row('lcctl compose up -d', l),
    row('docker-compose up -d (Docker Engine)', d),
  ]));
  say(`ratio lantern/docker (medians): ${ratio(median(l), median(d))}`);
  say(`load after: ${load()}`);
});
