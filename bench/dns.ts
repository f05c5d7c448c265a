/**
 * bench:dns — the node DNS (agent/dns) on one node: queries per second and p50/p99 latency for cluster
 * names (1,000 Services) and for cached outside names (answered once by an upstream, then from the
 * cache), offered open-loop at RATE queries/s (target p99 <= 2 ms at 5,000/s) and closed-loop at the
 * maximum (CONCURRENCY queries in flight). Peer, same run: dnsmasq from Debian answering the same
 * names from a hosts file. The server under test runs in a child process (as in the agent, its own
 * event loop); the load comes from this process over UDP on loopback.
 *
 * Env: RATE (5000), DURATION (seconds per run, 5), CONCURRENCY (64), SERVICES (1000).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { ClusterRecords } from '../src/agent/dns/records.js';
import { DnsServer } from '../src/agent/dns/server.js';
import { onCleanup, runBenchmark } from './lib/cleanup.js';
import { machineReport } from './lib/machine.js';
import { percentile, ratio, table, verdict } from './lib/stats.js';

const num = (name: string, dflt: number): number => { const v = Number(process.env[name]); return Number.isFinite(v) && v > 0 ? v : dflt; };
const RATE = num('RATE', 5000);
const SECONDS = num('DURATION', 5);
const CONCURRENCY = num('CONCURRENCY', 64);
const SERVICES = num('SERVICES', 1000);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

const clusterName = (i: number): string => `svc-${i}.ns-${i % 20}.svc.cluster.local`;
const clusterIP = (i: number): string => `10.43.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const outsideName = (i: number): string => `host-${i}.example.com`;
const outsideIP = (i: number): string => `192.0.${2 + Math.floor(i / 250)}.${(i % 250) + 1}`;

/** Child: the server under test plus its upstream (which knows the outside names). */
async function serve(port: number): Promise<void> {
  const up = createSocket('udp4');
  up.on('message', (msg, r) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions![0]!;
    const i = Number(/^host-(\d+)\./.exec(question.name)?.[1] ?? -1);
    up.send(dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: [question],
      answers: i >= 0 && question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 3600, data: outsideIP(i) }] : [] }), r.port, r.address);
  });
  await new Promise<void>((res) => up.bind(0, '127.0.0.1', res));
  const records = new ClusterRecords();
  for (let i = 0; i < SERVICES; i++) {
    records.putService({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: `ns-${i % 20}` }, spec: { clusterIP: clusterIP(i), ports: [{ name: 'http', port: 80 }] } });
  }
  const server = new DnsServer({ records, domain: 'cluster.local', upstreams: () => [{ host: '127.0.0.1', port: up.address().port }], log: () => undefined });
  await server.listen('127.0.0.1', port);
  process.send?.('ready');
}

interface Result { sent: number; answered: number; seconds: number; p50: number; p99: number }

/** Offer queries for names; rate: open loop at that many per second; otherwise closed loop with CONCURRENCY in flight. */
async function load(port: number, names: (i: number) => string, rate: number | undefined): Promise<Result> {
  const sock = createSocket('udp4');
  const queries = Array.from({ length: SERVICES }, (_, i) => names(i));
  const started = new Map<number, bigint>();
  const lat: number[] = [];
  let sent = 0;
  let nextId = 0;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(SECONDS * 1e9);
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => { resolveDone = r; });
  const send = (): void => {
    const id = nextId = (nextId + 1) & 0xffff;
    started.set(id, process.hrtime.bigint());
    sock.send(dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: queries[sent % queries.length]! }] }), port, '127.0.0.1');
    sent++;
  };
  sock.on('message', (m) => {
    const id = m.readUInt16BE(0);
    const s = started.get(id);
    if (s === undefined) return;
    started.delete(id);
    lat.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (rate === undefined && process.hrtime.bigint() < end) send();
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  if (rate === undefined) {
    for (let i = 0; i < CONCURRENCY; i++) send();
    setTimeout(resolveDone, SECONDS * 1000 + 500);
  } else {
    const tick = setInterval(() => {
      const now = process.hrtime.bigint();
      if (now >= end) { clearInterval(tick); setTimeout(resolveDone, 500); return; }
      const due = Math.floor(Number(now - t0) / 1e9 * rate);
      while (sent < due) send();
    }, 1);
  }
  await done;
  sock.close();
  return { sent, answered: lat.length, seconds: SECONDS, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

async function startDnsmasq(dir: string, port: number): Promise<ChildProcess> {
  const hosts = path.join(dir, 'hosts');
  const lines: string[] = [];
  for (let i = 0; i < SERVICES; i++) lines.push(`${clusterIP(i)} ${clusterName(i)}`, `${outsideIP(i)} ${outsideName(i)}`);
  writeFileSync(hosts, `${lines.join('\n')}\n`);
  // dnsmasq takes its long options' values only after "=".
  const p = spawn('dnsmasq', ['-k', '--no-resolv', '--no-hosts', `--addn-hosts=${hosts}`, '--listen-address=127.0.0.1', '--bind-interfaces',
    `--port=${port}`, '--cache-size=10000', `--pid-file=${path.join(dir, 'pid')}`, '--user=root'], { stdio: ['ignore', 'ignore', 'inherit'] });
  onCleanup('dnsmasq', () => { p.kill(); });
  await new Promise((r) => setTimeout(r, 500));
  return p;
}

async function main(): Promise<void> {
  say('bench:dns — node DNS (dns-packet, Node.js) vs dnsmasq (hosts file), one node, UDP on loopback');
  say(machineReport());
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-bench-dns-'));
  onCleanup('temp dir', () => rmSync(dir, { recursive: true, force: true }));
  const ourPort = 20000 + (process.pid % 10000);
  const child = fork(fileURLToPath(import.meta.url), ['--serve', String(ourPort)], { env: { ...process.env, SERVICES: String(SERVICES) } });
  onCleanup('dns server', () => { child.kill(); });
  await new Promise<void>((r) => child.once('message', () => r()));
  const peerPort = ourPort + 1;
  await startDnsmasq(dir, peerPort);
  // Warm the cache: every outside name once.
  await load(ourPort, outsideName, 2000);
  const rows: string[][] = [['server', 'names', 'offered', 'answered/s', 'p50 ms', 'p99 ms']];
  const results = new Map<string, Result>();
  for (const [who, port] of [['lantern', ourPort], ['dnsmasq', peerPort]] as const) {
    for (const [kind, names] of [['cluster', clusterName], ['outside (cached)', outsideName]] as const) {
      for (const rate of [RATE, undefined]) {
        const r = await load(port, names, rate);
        results.set(`${who}|${kind}|${rate ?? 'max'}`, r);
        rows.push([who, kind, rate ? `${rate}/s` : `max (${CONCURRENCY} in flight)`, (r.answered / r.seconds).toFixed(0), r.p50.toFixed(3), r.p99.toFixed(3)]);
      }
    }
  }
  say(table(rows));
  say();
  for (const kind of ['cluster', 'outside (cached)']) {
    const ours = results.get(`lantern|${kind}|${RATE}`)!;
    const peer = results.get(`dnsmasq|${kind}|${RATE}`)!;
    const maxOurs = results.get(`lantern|${kind}|max`)!;
    const maxPeer = results.get(`dnsmasq|${kind}|max`)!;
    say(`${kind}: p99 at ${RATE}/s ${ours.p99.toFixed(3)} ms (target <= 2 ms: ${verdict(ours.p99 <= 2 && ours.answered >= ours.sent * 0.999)}), `
      + `dnsmasq ${peer.p99.toFixed(3)} ms; max ${(maxOurs.answered / SECONDS).toFixed(0)}/s vs dnsmasq ${(maxPeer.answered / SECONDS).toFixed(0)}/s `
      + `(ratio ${ratio(maxOurs.answered, maxPeer.answered)})`);
  }
}

if (process.argv[2] === '--serve') void serve(Number(process.argv[3]));
else runBenchmark('dns', main);
