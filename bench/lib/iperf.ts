/**
 * iperf3 (Debian's, /usr/bin/iperf3) between network namespaces: a server kept running in one namespace,
 * one-shot JSON clients from another. Both run the host's binary inside the namespace (nsenter --net), so
 * a pod's namespace can be measured without iperf3 in the pod's image.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { timed, until } from './proc.js';

/** The iperf3 binary used on both ends (override: IPERF3=). */
export const iperfBin = process.env.IPERF3 ?? '/usr/bin/iperf3';

/** A running `iperf3 -s` inside a network namespace. */
export interface IperfServer { readonly log: () => string; stop: () => Promise<void> }

const enter = (netnsPath: string): string[] => [`--net=${netnsPath}`, '--'];

/** Fail early, naming the package, when iperf3 is missing. */
export function checkIperf(): void {
  if (!existsSync(iperfBin)) throw new Error(`${iperfBin} not found: install Debian's iperf3 (apt-get install iperf3, listed in scripts/packages.sh) or set IPERF3=`);
}

/** Start `iperf3 -s -p PORT` in the namespace and wait until it listens. */
export async function startIperfServer(netnsPath: string, port: number): Promise<IperfServer> {
  // nsenter execs iperf3, so the child's pid is iperf3's own and a signal reaches it. --forceflush: into a
  // pipe, iperf3's stdout is block-buffered and "Server listening" would never arrive.
  const proc = spawn('nsenter', [...enter(netnsPath), iperfBin, '-s', '-p', String(port), '--forceflush'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let exited = false;
  const onData = (d: Buffer): void => { out += d.toString(); };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const gone = new Promise<void>((r) => proc.on('close', () => { exited = true; r(); }));
  const stop = async (): Promise<void> => {
    if (exited) return;
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 3_000);
    await gone;
    clearTimeout(t);
  };
  try {
    await until(`iperf3 -s in ${netnsPath} to listen`, () => {
      if (exited) throw new Error(`iperf3 -s in ${netnsPath} exited: ${out.trim()}`);
      return /Server listening/.test(out);
    }, 10_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { log: () => out, stop };
}

interface IperfJson { error?: string; end?: { sum_received?: { bits_per_second?: number } } }

/**
 * `iperf3 -c TARGET -p PORT -t SECONDS -J` from the namespace; returns end.sum_received.bits_per_second
 * (what the receiver got). A server still finishing the previous test answers "busy": retried briefly.
 */
export async function iperfClient(netnsPath: string, target: string, port: number, seconds: number): Promise<number> {
  let last = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await timed('nsenter', [...enter(netnsPath), iperfBin, '-c', target, '-p', String(port), '-t', String(seconds), '-J']);
    let json: IperfJson = {};
    try { json = JSON.parse(r.stdout) as IperfJson; } catch { /* not JSON: reported below */ }
    const bps = json.end?.sum_received?.bits_per_second;
    if (r.code === 0 && typeof bps === 'number' && bps > 0) return bps;
    last = json.error ?? (r.stderr.trim() || r.stdout.trim().slice(0, 500));
    if (!/busy/i.test(last)) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`iperf3 -c ${target}:${port} from ${netnsPath} failed: ${last}`);
}
