/**
 * bench:network — pod-to-pod TCP throughput across two nodes against host-to-host over the same link, in
 * the same run, for each routed backend (vxlan, then host-gw). A TestServer (--no-agent) plus two real
 * agents, each in its own network namespace on one bridge (test/harness/netns-hosts.ts), as
 * test/pod-network.e2e.test.ts builds them. iperf3 (Debian's) runs (a) in node A's and node B's
 * namespaces and (b) in the two pods' network namespaces (the busybox image has no iperf3, so the
 * host's binary runs there). Targets: pod/host >= 0.9 for vxlan, >= 0.95 for host-gw.
 */
import { readdirSync } from 'node:fs';
import { TestServer } from '../test/harness/lanternd.js';
import { freeHostPort } from '../test/harness/cli.js';
import { NetnsHosts, type NetnsHost } from '../test/harness/netns-hosts.js';
import { RemoteAgent } from '../test/harness/remote-agent.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { checkIperf, iperfBin, iperfClient, startIperfServer } from './lib/iperf.js';
import { load, machineReport } from './lib/machine.js';
import { capture, until } from './lib/proc.js';
import { median, ratio, table, verdict } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const RUNS = Number(process.env.BENCH_RUNS ?? '3');
const SECONDS = Number(process.env.BENCH_SECONDS ?? '5');
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'vxlan,host-gw').split(',') as Backend[];
const TARGET = { vxlan: 0.9, 'host-gw': 0.95 } as const;
const PORT = 5201;

type Backend = keyof typeof TARGET;
interface PodView { metadata: { uid: string }; status?: { phase?: string; podIP?: string } }
/** One end of a measurement: a network namespace and the address it is reached at. */
interface End { netns: string; ip: string }
interface Result { backend: Backend; host: number[]; pod: number[]; mtu: { node: string; pod: string } }

const gbit = (bps: number): string => (bps / 1e9).toFixed(2);

/** Undo steps for one backend: closed when the backend is done, and by the global cleanup on failure or Ctrl-C. */
function scope(what: string): { add: (step: () => Promise<void> | void) => void; close: () => Promise<void> } {
  const steps: (() => Promise<void> | void)[] = [];
  const close = async (): Promise<void> => {
    while (steps.length > 0) {
      try { await steps.pop()!(); } catch (e) { process.stderr.write(`bench: cleanup of ${what} failed: ${e instanceof Error ? e.message : String(e)}\n`); }
    }
  };
  onCleanup(what, close);
  return { add: (step) => { steps.push(step); }, close };
}

/** The MTU of eth0 in a network namespace. */
const mtuOf = (netns: string): string => /mtu (\d+)/.exec(capture('nsenter', [`--net=${netns}`, '--', 'ip', '-o', 'link', 'show', 'eth0']))?.[1] ?? '?';

/** Create a busybox pod pinned to the node, wait until it runs, and find its network namespace. */
async function startPod(server: TestServer, name: string, node: string, logs: () => string): Promise<End> {
  const r = await server.api('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { nodeSelector: { 'kubernetes.io/hostname': node }, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
  });
  if (r.status !== 201) throw new Error(`creating pod ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  const pod = await server.until(`pod ${name} Running with an IP${logs()}`, async () => {
    const v = (await server.api<PodView>('GET', `/api/v1/namespaces/default/pods/${name}`)).body;
    return v.status?.phase === 'Running' && v.status.podIP ? v : undefined;
  }, 120_000);
  // The agent names each pod's namespace after the pod (src/network/cni-network.ts: prefix + pod key, ending in the uid).
  const ns = readdirSync('/var/run/netns').find((f) => f.endsWith(pod.metadata.uid));
  if (!ns) throw new Error(`no network namespace for pod ${name} (${pod.metadata.uid}) under /var/run/netns`);
  return { netns: `/var/run/netns/${ns}`, ip: pod.status!.podIP! };
}

/** Build the two-node cluster on one backend, measure host and pod pairs in turns, and tear it all down. */
async function measure(backend: Backend): Promise<Result> {
  const s = scope(`the ${backend} cluster`);
  try {
    const net = new NetnsHosts(2);
    s.add(() => net.destroy());
    net.create();
    const port = await freeHostPort();
    // --no-agent: the server runs no agent in the root namespace, where a second VXLAN device (UDP 8472) would collide.
    const server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${port}`, '--tls-san', net.gateway, '--network-backend', backend], { https: true });
    s.add(() => server.stop());
    await server.start();
    const [a, b] = net.hosts as [NetnsHost, NetnsHost];
    const agents = [a, b].map((h) => new RemoteAgent(server, `bn-${h.index}`, { prefix: net.enter(h), bridge: `lb${net.id}${h.index}`, waitReady: false, args: ['--heartbeat-interval', '1s'] }));
    const logs = (): string => agents.map((g) => `\n--- ${g.name} ---\n${g.log.slice(-2000)}`).join('');
    for (const g of agents) {
      s.add(() => g.remove(`iperf-${g.name}`));
      await g.start();
    }
    checkStop();
    const [podA, podB] = [await startPod(server, `iperf-${agents[0]!.name}`, agents[0]!.name, logs), await startPod(server, `iperf-${agents[1]!.name}`, agents[1]!.name, logs)];
    const hostA: End = { netns: `/run/netns/${a.netns}`, ip: a.address };
    const hostB: End = { netns: `/run/netns/${b.netns}`, ip: b.address };
    // Routes come from the Node objects within seconds of both agents publishing their address.
    await until(`pod ${podB.ip} -> pod ${podA.ip} by ping (routes programmed)${logs()}`, () =>
      capture('nsenter', [`--net=${podB.netns}`, '--', '/bin/busybox', 'ping', '-c', '1', '-W', '1', podA.ip]).includes('1 packets received'), 60_000, 500);
    for (const srv of [hostA, podA]) {
      const iperf = await startIperfServer(srv.netns, PORT);
      s.add(() => iperf.stop());
    }
    const result: Result = { backend, host: [], pod: [], mtu: { node: mtuOf(hostA.netns), pod: mtuOf(podA.netns) } };
    const pairs = { host: [hostB, hostA], pod: [podB, podA] } as const;
    for (let run = 0; run < RUNS; run++) {
      // Turns alternate which path goes first, so a load burst from other work on the machine hits both.
      for (const path of run % 2 === 0 ? ['host', 'pod'] as const : ['pod', 'host'] as const) {
        checkStop();
        const [from, to] = pairs[path];
        const bps = await iperfClient(from.netns, to.ip, PORT, SECONDS);
        result[path].push(bps);
        say(`  ${backend} run ${run + 1} ${path === 'host' ? 'host-to-host' : 'pod-to-pod  '}: ${gbit(bps)} Gbit/s (load ${load()})`);
      }
    }
    return result;
  } finally {
    await s.close();
  }
}

runBenchmark('pod-network', async () => {
  say(machineReport());
  checkIperf();
  say(`iperf3:      ${capture(iperfBin, ['--version']).split('\n')[0] ?? '?'}`);
  say(`method:      per backend a lanternd server (--no-agent) and two agents, each node its own network namespace on one bridge;`);
  say(`             ${RUNS} x ${SECONDS} s TCP per path (iperf3 -t ${SECONDS} -J, end.sum_received), host and pod paths in alternating turns;`);
  say(`             host-to-host: node B's namespace -> node A's address; pod-to-pod: pod on B -> pod IP on A, iperf3 run in`);
  say(`             each pod's network namespace with the host's ${iperfBin} binary (the busybox image has none)`);
  say(`note:        the link between the nodes is a veth pair on a bridge, not a wire: throughput is bounded by CPU per byte,`);
  say(`             so the pod path's extra hops (pod veth, CNI bridge, VXLAN encap/decap) weigh more than over a real NIC`);
  say();
  const results: Result[] = [];
  for (const backend of BACKENDS) {
    if (!(backend in TARGET)) throw new Error(`BENCH_BACKENDS: unknown backend "${backend}"; expected vxlan and/or host-gw`);
    say(`--network-backend ${backend}:`);
    results.push(await measure(backend));
    say();
  }
  const rows = [['backend', 'MTU node/pod', 'host-to-host Gbit/s', 'pod-to-pod Gbit/s', 'pod/host', 'target', 'verdict']];
  for (const r of results) {
    const [h, p] = [median(r.host), median(r.pod)];
    rows.push([r.backend, `${r.mtu.node}/${r.mtu.pod}`, `${gbit(h)} (${r.host.map(gbit).join(', ')})`, `${gbit(p)} (${r.pod.map(gbit).join(', ')})`,
      ratio(p, h), `>= ${TARGET[r.backend]}`, verdict(p / h >= TARGET[r.backend])]);
  }
  say(`medians of ${RUNS} runs (each run in parentheses):`);
  say(table(rows));
  say(`load after:  ${load()}`);
});
