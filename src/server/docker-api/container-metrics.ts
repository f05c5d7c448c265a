/**
 * docker stats and docker top. stats: the node's cAdvisor-style usage (NodeServices.podStats) in Docker's
 * JSON, one sample a second (precpu = the one before) or one sample with stream=0; top: the image's
 * `ps` run in the container (PIDs as the container sees them, unlike Docker's host PIDs).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Pod } from '../../api/pod.js';
import type { ContainerUsage } from '../../api/node-services.js';
import { DockerError, discard, queryBool, sendJson } from './http-util.js';
import { containerId, containerName, findContainer } from './context.js';
import { isRunning } from './pod-ops.js';
import type { DockerRequest, DockerRoute } from './route.js';

/** The host's busy+idle CPU time in nanoseconds (Docker's system_cpu_usage, from /proc/stat). */
function systemCpuNanos(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const ticks = line.split(/\s+/).slice(1, 8).reduce((a, t) => a + (Number(t) || 0), 0);
  return ticks * 1e7; // USER_HZ is 100
}

interface Sample { at: Date; usage: ContainerUsage | undefined; system: number }

async function sample(r: DockerRequest, pod: Pod): Promise<Sample> {
  const usage = isRunning(pod) ? (await r.ctx.node.podStats(pod.metadata.namespace ?? 'default', pod.metadata.name))[0] : undefined;
  return { at: new Date(), usage, system: systemCpuNanos() };
}

/** One stats document. */
function statsJson(pod: Pod, cur: Sample, prev: Sample | undefined): Record<string, unknown> {
  const cpus = os.cpus().length;
  const cpu = (s: Sample | undefined): Record<string, unknown> => ({
    cpu_usage: { total_usage: s?.usage?.cpuUsageNanos ?? 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    system_cpu_usage: s?.system ?? 0, online_cpus: cpus, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  });
  const u = cur.usage;
  return {
    id: containerId(pod), name: `/${containerName(pod)}`, read: cur.at.toISOString(), preread: prev?.at.toISOString() ?? '0001-01-01T00:00:00Z',
    pids_stats: { current: u?.pids ?? 0 },
    cpu_stats: cpu(cur), precpu_stats: cpu(prev),
    memory_stats: u ? { usage: u.memoryUsageBytes, limit: u.memoryLimitBytes ?? os.totalmem(), stats: { inactive_file: Math.max(0, u.memoryUsageBytes - u.memoryWorkingSetBytes) } } : {},
    blkio_stats: {}, networks: {},
  };
}

async function stats(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  const stream = queryBool(r.query, 'stream', true);
  const oneShot = queryBool(r.query, 'one-shot');
  let prev: Sample | undefined = oneShot ? undefined : await sample(r, pod);
  if (!stream) {
    if (prev) await new Promise((res) => setTimeout(res, 1000));
    sendJson(r.res, 200, statsJson(pod, await sample(r, pod), prev));
    return;
  }
  r.res.writeHead(200, { 'content-type': 'application/json' });
  while (!r.signal.aborted) {
    await new Promise((res) => setTimeout(res, 1000));
    if (r.signal.aborted) break;
    const cur = await sample(r, pod).catch(() => undefined);
    if (!cur) break;
    r.res.write(`${JSON.stringify(statsJson(pod, cur, prev))}\n`);
    prev = cur;
  }
  r.res.end();
}

async function top(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  if (!isRunning(pod)) throw new DockerError(409, `container ${containerId(pod)} is not running`);
  const args = (r.query.get('ps_args') ?? '').split(/\s+/).filter((a) => a !== '');
  const session = await r.ctx.node.podExec(pod.metadata.namespace ?? 'default', pod.metadata.name, { command: ['ps', ...args], stdin: false, tty: false });
  let out = '';
  session.stdout.on('error', () => undefined);
  session.stdout.on('data', (b: Buffer) => { if (out.length < 1 << 20) out += b.toString(); });
  discard(session.stderr);
  const code = await session.exit;
  if (code !== 0) throw new DockerError(500, `ps in the container exited with ${code}: the image needs a ps`);
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  const titles = (lines[0] ?? '').trim().split(/\s+/);
  const rows = lines.slice(1).map((l) => {
    const cols = l.trim().split(/\s+/);
    return [...cols.slice(0, titles.length - 1), cols.slice(titles.length - 1).join(' ')];
  });
  sendJson(r.res, 200, { Titles: titles, Processes: rows });
}

/** The stats and top routes. */
export const metricsRoutes: DockerRoute[] = [
  { method: 'GET', pattern: /^\/containers\/([^/]+)\/stats$/, handler: stats },
  { method: 'GET', pattern: /^\/containers\/([^/]+)\/top$/, handler: top },
];
