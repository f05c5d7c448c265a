/**
 * bench:autonomy — edge autonomy (issue 16): a `lanternd agent` in its own network namespace runs
 * PODS busybox pods; then a reboot is simulated (the agent SIGKILLed, every container killed, the pod
 * network namespaces removed, the agent started again) and the time until all its pods run again is
 * measured on the node (runc), with the server unreachable throughout (the link cut) and, as the
 * peer in the same run, with the server reachable. TRIALS rounds of each, alternating.
 *
 * Env: BENCH_PODS (5), BENCH_TRIALS (3).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { TestServer } from '../test/harness/lanternd.js';
import { freeHostPort } from '../test/harness/cli.js';
import { NetnsHosts, sh } from '../test/harness/netns-hosts.js';
import { RemoteAgent } from '../test/harness/remote-agent.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { median, ratio, table } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const PODS = Number(process.env.BENCH_PODS ?? '5');
const TRIALS = Number(process.env.BENCH_TRIALS ?? '3');

function runningIds(a: RemoteAgent): string[] {
  const r = spawnSync('runc', ['--root', path.join(a.dataDir, 'containers/runc'), 'list', '--format', 'json'], { encoding: 'utf8' });
  return ((JSON.parse(r.stdout || 'null') ?? []) as { id: string; status: string }[]).filter((c) => c.status === 'running').map((c) => c.id);
}

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await ok())) {
    checkStop();
    if (performance.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

/** Kill the agent and its containers, remove the pod namespaces, start it; seconds until PODS containers run. */
async function reboot(a: RemoteAgent, netnsPrefix: string): Promise<number> {
  await a.kill9();
  for (const id of runningIds(a)) spawnSync('runc', ['--root', path.join(a.dataDir, 'containers/runc'), 'kill', id, 'KILL']);
  await waitFor('containers dead', () => runningIds(a).length === 0);
  for (const ns of sh('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(netnsPrefix))) sh('ip', ['netns', 'delete', ns]);
  const t = performance.now();
  await a.start();
  await waitFor(`${PODS} pods running again`, () => runningIds(a).length === PODS);
  return (performance.now() - t) / 1000;
}

runBenchmark('bench:autonomy', async () => {
  say('== bench:autonomy: node reboot, time until all its pods run again: server unreachable vs reachable ==');
  say(machineReport());
  say(`${PODS} busybox pods on one lanternd agent in a network namespace; ${TRIALS} trials each, alternating`);
  const net = new NetnsHosts(1);
  net.create();
  onCleanup('remove the test network', () => net.destroy());
  const host = net.hosts[0]!;
  const server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${await freeHostPort()}`, '--tls-san', net.gateway], { https: true });
  onCleanup('stop lanternd server', () => server.stop());
  await server.start();
  const agent = new RemoteAgent(server, 'bench-edge', { prefix: net.enter(host), bridge: `lb${net.id}`, waitReady: false, args: ['--heartbeat-interval', '1s'] });
  const names = Array.from({ length: PODS }, (_, i) => `edge-${i}`);
  onCleanup('remove the agent and its pods', async () => { net.setLink(host, true); await agent.remove(...names); });
  await agent.start();
  for (const name of names) {
    await server.api('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { nodeName: 'bench-edge', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'Never', command: ['sleep', '36000'] }] } });
  }
  await waitFor('pods running', () => runningIds(agent).length === PODS);
  const prefix = `lt${createHash('sha256').update(agent.dataDir).digest('hex').slice(0, 6)}-`;
  const reachable: number[] = [];
  const unreachable: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    reachable.push(await reboot(agent, prefix));
    say(`trial ${i + 1}: server reachable   ${reachable.at(-1)!.toFixed(2)} s`);
    net.setLink(host, false);
    unreachable.push(await reboot(agent, prefix));
    net.setLink(host, true);
    say(`trial ${i + 1}: server unreachable ${unreachable.at(-1)!.toFixed(2)} s`);
    // Let the node reconnect and report before the next round.
    await waitFor('node Ready', async () => ((await server.api<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', '/api/v1/nodes/bench-edge')).body.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
    await sleep(2000);
  }
  say();
  say(table([
    ['', 'server unreachable', 'server reachable (peer)', 'ratio unreachable/reachable'],
    [`reboot -> ${PODS} pods running (median)`, `${median(unreachable).toFixed(2)} s`, `${median(reachable).toFixed(2)} s`, ratio(median(unreachable), median(reachable))],
  ]));
});
