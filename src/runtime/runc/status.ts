import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerInfo, RuntimeStatus } from '../types.js';
import { readOomKillCount } from './cgroups.js';
import { readJson, writeJsonAtomic, type ContainerDir, type ContainerMeta, type ExitRecord } from './container-dir.js';
import { sleep } from './proc.js';
import type { RuncCli, RuncState } from './runc-cli.js';

/** How long inspect waits for conmon to write the exit code of a container runc already calls stopped. */
const EXIT_FILE_WAIT_MS = 3000;

/** True when pid is a live (non-zombie) process; conmon's parent may be an init that never reaps. */
export function processRunning(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The pid of the container's conmon, from its pid file. */
export function conmonPid(dir: ContainerDir): number | undefined {
  try {
    const n = Number(readFileSync(dir.conmonPidFile, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

async function readExitCode(dir: ContainerDir): Promise<number | undefined> {
  for (const f of [dir.conmonExitFile, join(dir.persistDir, 'exit')]) {
    const t = await readFile(f, 'utf8').catch(() => undefined);
    if (t !== undefined && /^-?\d+\s*$/.test(t)) return Number(t.trim());
  }
  return undefined;
}

/**
 * Reads everything known of one container. The first time it is seen stopped, the exit code (from
 * conmon's exit file), the finish time and the OOM fact (from the cgroup, which lives until runc delete)
 * are frozen into exit.json, so later reads do not depend on runc or the cgroup any more.
 */
export async function readContainerInfo(dir: ContainerDir, runc: RuncCli): Promise<ContainerInfo | undefined> {
  if (!dir.exists()) return undefined;
  const labels = (await readJson<Record<string, string>>(dir.labelsJson)) ?? {};
  const meta = await readJson<ContainerMeta>(dir.metaJson);
  const info: ContainerInfo = { id: dir.id, status: 'unknown', labels, logPath: dir.logPath };
  // No meta.json: create() has not finished, or crashed half-way; remove() still cleans it up.
  if (!meta) return info;
  info.createdAt = meta.createdAt;
  if (meta.startedAt) info.startedAt = meta.startedAt;
  const recorded = await readJson<ExitRecord>(dir.exitJson);
  if (recorded) return withExit(info, recorded);
  // Fast path for the agent's frequent polls: a started container whose conmon is alive and has not
  // written an exit code is running; asking runc (a process spawn) is only needed otherwise.
  if (meta.startedAt && !existsSync(dir.conmonExitFile) && processRunning(conmonPid(dir))) {
    const pid = Number(await readFile(dir.containerPidFile, 'utf8').catch(() => ''));
    if (processRunning(pid)) return { ...info, status: 'running', pid };
  }
  let state: RuncState | undefined;
  try {
    state = await runc.state(dir.id);
  } catch {
    return info;
  }
  if (state && state.status !== 'stopped') {
    info.status = mapStatus(state.status);
    if (state.pid > 0) info.pid = state.pid;
    return info;
  }
  const record = await observeExit(dir, meta, state !== undefined);
  if (!record) return { ...info, status: 'stopped' };
  // The record is a cache of what was observed; a directory removed meanwhile (the container is being
  // deleted) has nowhere to keep it, and the answer stands.
  await writeJsonAtomic(dir.exitJson, record).catch((e: unknown) => { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; });
  return withExit(info, record);
}

/** Builds the exit record of a stopped container; undefined while conmon is still finishing up. */
async function observeExit(dir: ContainerDir, meta: ContainerMeta, cgroupMayExist: boolean): Promise<ExitRecord | undefined> {
  let exitCode = await readExitCode(dir);
  for (let waited = 0; exitCode === undefined && waited < EXIT_FILE_WAIT_MS && processRunning(conmonPid(dir)); waited += 100) {
    await sleep(100);
    exitCode = await readExitCode(dir);
  }
  if (exitCode === undefined && processRunning(conmonPid(dir))) return undefined;
  const oomKills = cgroupMayExist ? await readOomKillCount(meta.cgroupPath) : undefined;
  const conmonSawOom = existsSync(join(dir.persistDir, 'oom')) || existsSync(join(dir.bundle, 'oom'));
  const finished = await stat(dir.conmonExitFile).then((s) => s.mtime, () => new Date());
  const record: ExitRecord = {
    finishedAt: finished.toISOString(),
    oomKilled: exitCode === 137 && ((oomKills ?? 0) > 0 || conmonSawOom),
  };
  if (exitCode !== undefined) record.exitCode = exitCode;
  return record;
}

function withExit(info: ContainerInfo, r: ExitRecord): ContainerInfo {
  const out: ContainerInfo = { ...info, status: 'stopped', finishedAt: r.finishedAt, oomKilled: r.oomKilled };
  if (r.exitCode !== undefined) out.exitCode = r.exitCode;
  return out;
}

function mapStatus(s: RuncState['status']): RuntimeStatus {
  if (s === 'creating' || s === 'created') return 'created';
  if (s === 'running' || s === 'paused') return 'running';
  return 'stopped';
}
