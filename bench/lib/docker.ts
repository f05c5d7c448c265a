import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { onCleanup } from './cleanup.js';
import { dockerBin } from './machine.js';
import { must, sleep, until } from './proc.js';
import { processes } from './rss.js';

/** The Docker Engine the benchmark compares against. */
export interface Docker {
  bin: string;
  /** dockerd's pid. */
  pid: number;
  /** True when this benchmark started dockerd (and so stops it at the end). */
  startedHere: boolean;
  /** Run the docker CLI; a non-zero exit throws. */
  cli(args: readonly string[]): string;
}

const DATA_ROOT = '/var/lib/docker-bench';
const LOG = '/tmp/dockerd-bench.log';

const dockerUp = (bin: string): boolean => spawnSync(bin, ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' }).status === 0;

function dockerdPid(): number | undefined {
  return processes().find((p) => p.comm === 'dockerd')?.pid;
}

/**
 * Use the running dockerd, or start one (data root /var/lib/docker-bench, log /tmp/dockerd-bench.log)
 * with Docker's defaults (bridge network, overlay2, its own containerd) and stop it at cleanup.
 */
export async function ensureDocker(): Promise<Docker> {
  const bin = dockerBin();
  if (spawnSync(bin, ['--version']).status !== 0) throw new Error(`docker CLI not found (${bin}); install Docker Engine: apt-get install -y docker.io (or scripts/setup-test)`);
  let startedHere = false;
  if (!dockerUp(bin)) {
    if (spawnSync('dockerd', ['--version']).status !== 0) throw new Error('dockerd not found; install Docker Engine: apt-get install -y docker.io (or scripts/setup-test)');
    const log = openSync(LOG, 'a');
    const child = spawn('dockerd', ['--data-root', DATA_ROOT], { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    child.unref();
    startedHere = true;
    onCleanup('stop the dockerd this benchmark started', () => stopDockerd(child));
    await until('dockerd to answer `docker info` (log: ' + LOG + ')', () => dockerUp(bin), 60_000, 200);
  }
  const pid = dockerdPid();
  if (pid === undefined) throw new Error('docker answers but no dockerd process was found');
  const cli = (args: readonly string[]): string => must(bin, args);
  return { bin, pid, startedHere, cli };
}

/** SIGTERM dockerd, wait for it (and so its containerd) to exit, then remove the docker0 bridge it made. */
async function stopDockerd(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  spawnSync('ip', ['link', 'delete', 'docker0']);
}

/** Load the sample image as busybox:latest (docker load, or skopeo when this docker refuses the archive). */
export function loadBusybox(docker: Docker, archive: string): void {
  const r = spawnSync(docker.bin, ['load', '-i', archive], { encoding: 'utf8' });
  if (r.status === 0) return;
  must('skopeo', ['copy', `oci-archive:${archive}`, 'docker-daemon:busybox:latest']);
}

/** Force-remove containers by id (ignores ones already gone). */
export function removeContainers(docker: Docker, ids: readonly string[]): void {
  for (let i = 0; i < ids.length; i += 50) spawnSync(docker.bin, ['rm', '-f', ...ids.slice(i, i + 50)], { stdio: 'ignore' });
}
