/**
 * bench:heartbeats — 5,000 simulated nodes (`lanternd sim`, one process, admin token) heartbeating
 * every 10 s against a real `lanternd server --no-agent`: how long registering them takes, then the
 * server's (and the sim's) CPU % and RSS over a steady window, and the writes/s the store saw.
 */
import os from 'node:os';
import type { Node } from '../src/api/node.js';
import { parseDuration } from '../src/api/duration.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { newClient } from './lib/lantern.js';
import { TestServer } from '../test/harness/lanternd.js';
import { ProcSampler, type Usage } from './lib/cpu.js';
import { load, machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { isReady, revision, startSim, waitReady } from './lib/sim.js';
import { mb, table } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

/** `--name value` from argv, else the environment variable, else the default. */
function setting(name: string, env: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 ? process.argv[i + 1] : undefined) ?? process.env[env] ?? fallback;
}

const NODES = Number(setting('nodes', 'BENCH_NODES', '5000'));
const INTERVAL = setting('interval', 'BENCH_HEARTBEAT', '10s');
const intervalMs = parseDuration(INTERVAL) ?? Number.NaN;
const askedWindowS = Number(setting('window', 'BENCH_WINDOW', '60'));
const IDLE_S = 5;
const REGISTER_TIMEOUT_MS = 600_000;

/** Sleep in 1 s slices, so Ctrl-C stops the benchmark within a second. */
async function pause(msec: number, alive: () => string | undefined): Promise<void> {
  for (let left = msec; left > 0; left -= 1000) {
    await sleep(Math.min(1000, left));
    checkStop();
    const why = alive();
    if (why) throw new Error(why);
  }
}

const stopped = (): string | undefined => { try { checkStop(); return undefined; } catch { return 'interrupted'; } };

const pct = (u: Usage, peak = false): string => `${(peak ? u.cpuPeakPct : u.cpuPct).toFixed(1)} %`;

runBenchmark('bench:heartbeats', async () => {
  if (!Number.isInteger(NODES) || NODES < 1) throw new Error(`--nodes: ${NODES} is not a positive whole number`);
  if (!(intervalMs > 0)) throw new Error(`--interval: ${INTERVAL} is not a duration (10s, 500ms)`);
  if (!(askedWindowS > 0)) throw new Error(`--window: ${askedWindowS} is not a number of seconds`);
  // Fewer than 3 heartbeat intervals would measure the spread-out start rather than a steady state.
  const windowS = Math.max(askedWindowS, (3 * intervalMs) / 1000);
  say('== bench:heartbeats: simulated nodes heartbeating against lanternd server ==');
  say(machineReport());
  say(`${NODES} nodes (lanternd sim, one process, admin token: one shared client), heartbeat every ${INTERVAL}; server --no-agent`);
  say(`steady window ${windowS} s${windowS !== askedWindowS ? ` (asked ${askedWindowS} s; at least 3 heartbeat intervals)` : ''}, after one interval of settling`);
  say('CPU % is of ONE core (user + system from /proc/PID/stat over wall time); the machine has ' + `${os.cpus().length} cores`);

  const server = new TestServer(['--no-agent']);
  onCleanup('stop lanternd server and remove its data dir', () => server.stop());
  await server.start();
  const pid = server.proc?.pid;
  if (pid === undefined) throw new Error('lanternd has no pid');
  const client = newClient(server);
  const serverDead = (): string | undefined => (server.proc?.exitCode !== null ? `lanternd server exited:\n${server.logs.slice(-3000)}` : undefined);

  // Idle baseline: what the server costs with no nodes at all.
  let sampler = new ProcSampler(pid);
  await pause(IDLE_S * 1000, serverDead);
  const idle = sampler.stop();

  // Registration: from spawning the sim until the watch has seen every node Ready.
  const rev0 = await revision(client);
  const t0 = performance.now();
  const sim = startSim(server.url, server.token, NODES, INTERVAL);
  const simDead = (): string | undefined => (sim.proc.exitCode !== null || sim.proc.signalCode !== null ? `lanternd sim exited:\n${sim.output().slice(-3000)}` : undefined);
  sampler = new ProcSampler(pid);
  const simRegSampler = new ProcSampler(sim.pid);
  const reg = await waitReady(client, NODES, t0, () => stopped() ?? serverDead() ?? simDead(), REGISTER_TIMEOUT_MS);
  const regServer = sampler.stop();
  const regSim = simRegSampler.stop();
  const regWrites = (await revision(client)) - rev0;
  process.stderr.write(`  ${NODES} nodes Ready after ${(reg.allMs / 1000).toFixed(1)} s; settling ${INTERVAL}\n`);

  // Settle for one interval: the sim spreads the first heartbeats over it.
  await pause(intervalMs, () => serverDead() ?? simDead());
  const failedBefore = sim.failedWrites();
  const revStart = await revision(client);
  const tStart = performance.now();
  const serverSampler = new ProcSampler(pid);
  const simSampler = new ProcSampler(sim.pid);
  await pause(windowS * 1000, () => serverDead() ?? simDead());
  const srv = serverSampler.stop();
  const sm = simSampler.stop();
  const writes = (await revision(client)) - revStart;
  const wallS = (performance.now() - tStart) / 1000;
  const failed = sim.failedWrites() - failedBefore;
  const nodes = (await client.list<Node>('nodes')).items;
  const readyCount = nodes.filter(isReady).length;

  say('');
  say(`registration: ${NODES} nodes Ready ${(reg.allMs / 1000).toFixed(1)} s after spawning the sim (first node seen at ${(reg.firstMs / 1000).toFixed(1)} s; ` +
    `${((NODES / reg.allMs) * 1000).toFixed(0)} nodes/s; ${regWrites} store writes)`);
  say('');
  say(table([
    ['process', 'phase', 'CPU avg', 'CPU peak 1 s', 'CPU s', 'RSS end', 'RSS peak'],
    ['lanternd server', `idle, no nodes (${IDLE_S} s)`, pct(idle), pct(idle, true), idle.cpuSeconds.toFixed(1), mb(idle.rssEndKib), mb(idle.rssPeakKib)],
    ['lanternd server', `registration (${regServer.wallS.toFixed(0)} s)`, pct(regServer), pct(regServer, true), regServer.cpuSeconds.toFixed(1), mb(regServer.rssEndKib), mb(regServer.rssPeakKib)],
    ['lanternd server', `steady (${srv.wallS.toFixed(0)} s)`, pct(srv), pct(srv, true), srv.cpuSeconds.toFixed(1), mb(srv.rssEndKib), mb(srv.rssPeakKib)],
    ['lanternd sim', `registration (${regSim.wallS.toFixed(0)} s)`, pct(regSim), pct(regSim, true), regSim.cpuSeconds.toFixed(1), mb(regSim.rssEndKib), mb(regSim.rssPeakKib)],
    ['lanternd sim', `steady (${sm.wallS.toFixed(0)} s)`, pct(sm), pct(sm, true), sm.cpuSeconds.toFixed(1), mb(sm.rssEndKib), mb(sm.rssPeakKib)],
  ]));
  say('');
  const expected = (NODES / intervalMs) * 1000;
  say(`store writes in the steady window: ${writes} in ${wallS.toFixed(1)} s = ${(writes / wallS).toFixed(0)}/s (expected heartbeats: ${expected.toFixed(0)}/s)`);
  if (writes > 0) say(`server CPU per 1,000 writes: ${((srv.cpuSeconds / writes) * 1000).toFixed(2)} CPU-s (${((srv.cpuSeconds / writes) * 1e6).toFixed(0)} µs each)`);
  say(`heartbeat writes the sim saw fail in the window: ${failed}`);
  say(`nodes Ready at the end: ${readyCount}/${nodes.length}`);
  say(`load avg at the end: ${load()}`);
});
