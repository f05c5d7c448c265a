/**
 * bench:build — `lcctl build` vs `docker build` (classic builder) of a 10-step Dockerfile FROM busybox:
 * one uncached build each, then rebuilds with every step cached, the two taking turns.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxArchive } from '../test/harness/lanternd.js';
import { onCleanup, runBenchmark } from './lib/cleanup.js';
import { ensureDocker, loadBusybox } from './lib/docker.js';
import { lcctlBin, startLantern } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { timed } from './lib/proc.js';
import { rounds } from './lib/rounds.js';
import { median, ms, ratio, table, verdict } from './lib/stats.js';

const WARMUPS = 1;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

/** The build context: a 10-step Dockerfile and a few files; `nonce` makes the first build miss every cache. */
function writeContext(dir: string, nonce: string): void {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  writeFileSync(join(dir, 'app.sh'), '#!/bin/sh\necho "hello from $APP"\n', { mode: 0o755 });
  writeFileSync(join(dir, 'README.txt'), 'a small application\n'.repeat(50));
  writeFileSync(join(dir, 'conf', 'app.conf'), 'listen = 8080\nworkers = 2\n');
  writeFileSync(join(dir, 'conf', 'extra.conf'), `# ${'x'.repeat(4000)}\n`);
  writeFileSync(join(dir, 'Dockerfile'), [
    'FROM busybox',
    `ENV APP=/app BENCH_RUN=${nonce}`,
    'WORKDIR /app',
    'COPY app.sh README.txt ./',
    'COPY conf/ /app/conf/',
    'RUN mkdir -p /data && echo "$APP" > /data/where',
    'RUN for i in 1 2 3 4 5; do echo "line $i" >> /data/lines; done',
    'LABEL org.example.bench="build-cache"',
    'EXPOSE 8080',
    'CMD ["/app/app.sh"]',
    '',
  ].join('\n'));
}

/** Run a build command; throw with its output when it fails, return the milliseconds. */
async function build(cmd: string, args: string[], env: NodeJS.ProcessEnv, cachedSteps?: number): Promise<number> {
  const r = await timed(cmd, args, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  const hits = (r.stdout.match(/Using cache/g) ?? []).length;
  if (cachedSteps !== undefined && hits !== cachedSteps) throw new Error(`${cmd}: expected ${cachedSteps} cached steps, saw ${hits}:\n${r.stdout}`);
  return r.ms;
}

runBenchmark('bench:build', async () => {
  say('== bench:build: image build, first and fully cached ==');
  say(machineReport());
  const nonce = randomBytes(6).toString('hex');
  const ctx = mkdtempSync(join(tmpdir(), 'lantern-bench-build-'));
  onCleanup(`remove ${ctx}`, () => rmSync(ctx, { recursive: true, force: true }));
  writeContext(ctx, nonce);
  const tag = `bench/build-cache:${nonce}`;

  const lantern = await startLantern();
  const docker = await ensureDocker();
  loadBusybox(docker, busyboxArchive());
  say(`dockerd:     ${docker.startedHere ? 'started by this benchmark' : 'was already running'} (pid ${docker.pid}); docker build with DOCKER_BUILDKIT=0 (classic builder; no buildx here)`);
  // rmi of the tag also deletes the classic builder's intermediate images (its cache) of this run.
  onCleanup(`docker rmi ${tag}`, () => { try { docker.cli(['rmi', '-f', tag]); } catch { /* not built */ } });
  const denv = { ...process.env, DOCKER_BUILDKIT: '0' };
  const lantern_ = (cached?: number): Promise<number> => build(lcctlBin, ['build', '-t', tag, ctx], lantern.env, cached);
  const docker_ = (cached?: number): Promise<number> => build(docker.bin, ['build', '-t', tag, ctx], denv, cached);

  say('\n-- first build (nothing cached; the ENV step carries a per-run value) --');
  const firstL = await lantern_();
  const firstD = await docker_();
  say(table([['builder', 'first build'], ['lcctl build', ms(firstL)], ['docker build', ms(firstD)]]));
  say(`ratio lantern/docker: ${ratio(firstL, firstD)}`);

  say(`\n-- rebuild, all 9 steps after FROM cached: ${RUNS} runs each after ${WARMUPS} warm-up, taking turns --`);
  const samples = await rounds([
    { name: 'lantern', run: () => lantern_(9) },
    { name: 'docker', run: () => docker_(9) },
  ], WARMUPS, RUNS);
  const lt = samples.get('lantern')!;
  const dk = samples.get('docker')!;
  const row = (label: string, v: number[]): string[] => [label, ms(median(v)), ms(Math.min(...v)), ms(Math.max(...v))];
  say(table([['cached rebuild', 'median', 'min', 'max'], row(`lcctl build -t X ctx`, lt), row('docker build -t X ctx', dk)]));
  say(`ratio lantern/docker (medians): ${ratio(median(lt), median(dk))}  (target <= 1.0: ${verdict(median(lt) <= median(dk))})`);
  say(`load avg after: ${load()}`);
});
