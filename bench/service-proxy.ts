/**
 * bench:proxy — the nftables service proxy in a node of namespaces (network/service-proxy/lab.ts).
 * (a) TCP connect latency (until established; the reply is checked) through a ClusterIP against straight to the pod IP,
 *     interleaved rounds in the same run; target overhead <= 0.1 ms at p50 and p99.
 * (b) rule programming: S Services of 10 endpoints each (S = 100, 1,000, 5,000): the full sync, then 50
 *     changes of one endpoint each, timed from the change to nft's return (compile + partial sync);
 *     target p99 <= 1 s at 1,000. kube-proxy's iptables mode rewrites whole tables; this shows the growth.
 */
import { compileService, type ServiceRules } from '../src/network/service-proxy/compile.js';
import { fixtureService, fixtureSlice } from '../src/network/service-proxy/fixtures.js';
import { ProxyLab } from '../src/network/service-proxy/lab.js';
import { NftSyncer } from '../src/network/service-proxy/syncer.js';
import { onCleanup, runBenchmark } from './lib/cleanup.js';
import { load, machineReport } from './lib/machine.js';
import { percentile, ratio, table, verdict } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const SIZES = (process.env.BENCH_SERVICES ?? '100,1000,5000').split(',').map(Number);
const CHANGES = Number(process.env.BENCH_CHANGES ?? '50');
const CONNECTS = Number(process.env.BENCH_CONNECTS ?? '1000');
const f3 = (v: number): string => `${v.toFixed(3)} ms`;

const ipOf = (n: number, base: string): string => `${base}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;

async function latency(lab: ProxyLab): Promise<void> {
  const pod = lab.pods[0]!;
  const syncer = new NftSyncer({ command: lab.nftCommand, log: say });
  await syncer.fullSync(new Map([['default/web', compileService(fixtureService('web', '10.43.0.10', 80), [fixtureSlice('web', lab.podPort, [pod.ip])], { podInterfaces: [lab.bridge] })]]));
  const direct: number[] = [];
  const viaService: number[] = [];
  const rounds = 10;
  for (let r = 0; r < rounds; r++) {
    for (const [ip, port, out] of [[pod.ip, lab.podPort, direct], ['10.43.0.10', 80, viaService]] as const) {
      const results = lab.connect(lab.node, ip, port, Math.ceil(CONNECTS / rounds));
      if (results.some((x) => x.reply !== pod.name)) throw new Error(`a connect to ${ip}:${port} failed: ${JSON.stringify(results.find((x) => x.reply !== pod.name))}`);
      out.push(...results.map((x) => x.ms));
    }
  }
  await syncer.remove();
  const row = (name: string, s: number[]): string[] => [name, f3(percentile(s, 50)), f3(percentile(s, 99))];
  say(`(a) TCP connect (until established) from the node, ${direct.length} each, interleaved rounds`);
  say(table([['path', 'p50', 'p99'], row('pod IP', direct), row('ClusterIP', viaService)]));
  const o50 = percentile(viaService, 50) - percentile(direct, 50);
  const o99 = percentile(viaService, 99) - percentile(direct, 99);
  say(`overhead p50 ${f3(o50)} (ratio ${ratio(percentile(viaService, 50), percentile(direct, 50))}), p99 ${f3(o99)}: target <= 0.1 ms ${verdict(o50 <= 0.1 && o99 <= 0.1)}`);
  say();
}

async function programming(lab: ProxyLab): Promise<void> {
  say('(b) rule programming: S Services x 10 endpoints; one endpoint changes (compile + partial nft transaction)');
  const rows = [['services', 'chains', 'full sync', 'change p50', 'change p99', 'p99 <= 1 s']];
  for (const size of SIZES) {
    const syncer = new NftSyncer({ command: lab.nftCommand, table: 'bench-proxy', log: say });
    const desired = new Map<string, ServiceRules>();
    const endpoints: string[][] = [];
    const compile = (i: number): void => {
      desired.set(`default/s${i}`, compileService(fixtureService(`s${i}`, ipOf(i, '10.43'), 80), [fixtureSlice(`s${i}`, 8080, endpoints[i]!)], { podInterfaces: [lab.bridge] }));
    };
    for (let i = 0; i < size; i++) {
      endpoints.push(Array.from({ length: 10 }, (_, j) => ipOf(i * 10 + j, '10.60')));
      compile(i);
    }
    let chains = 0;
    for (const r of desired.values()) chains += r.chains.size;
    const t0 = performance.now();
    await syncer.fullSync(desired);
    const full = performance.now() - t0;
    const times: number[] = [];
    for (let c = 0; c < CHANGES; c++) {
      const i = Math.floor(Math.random() * size);
      const t = performance.now();
      endpoints[i]![c % 10] = ipOf(size * 10 + c, '10.61');
      compile(i);
      const r = await syncer.partialSync(desired, [`default/s${i}`]);
      times.push(performance.now() - t);
      if (r.kind !== 'partial') throw new Error(`expected a partial sync, got ${r.kind}`);
    }
    await syncer.remove();
    const p99 = percentile(times, 99);
    rows.push([String(size), String(chains), `${full.toFixed(0)} ms`, `${percentile(times, 50).toFixed(1)} ms`, `${p99.toFixed(1)} ms`, size === 1000 ? verdict(p99 <= 1000) : '']);
  }
  say(table(rows));
}

runBenchmark('service-proxy', async () => {
  say(machineReport());
  say(`load before: ${load()}`);
  const lab = new ProxyLab(1);
  onCleanup('proxy lab namespaces', () => lab.destroy());
  lab.create();
  await lab.waitServers();
  await latency(lab);
  await programming(lab);
  say(`load after: ${load()}`);
});
