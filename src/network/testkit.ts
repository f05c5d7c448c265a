// Shared by this folder's tests: an isolated network (own bridge, subnet, names, stateDir) and probes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CniNetwork } from './cni-network.js';
import { runCommand, toolEnv, type CommandOutput } from './exec.js';
import { removeBridgeForwarding, sweepNatRules } from './iptables.js';
import { NETNS_DIR, podKey } from './netns.js';
import type { CniNetworkOptions } from './options.js';
import { probeHostPort } from './ports.js';

/** A private network for one test; cleanup() removes everything it could have created. */
export interface Sandbox {
  options: Required<Pick<CniNetworkOptions, 'stateDir' | 'networkName' | 'bridge' | 'subnet' | 'netnsPrefix'>>;
  net: CniNetwork;
  /** Pod ids this test used (cleanup tears them down). */
  pods: Set<string>;
  /** Processes the test started (cleanup kills them). */
  procs: ChildProcess[];
  cleanup(): Promise<void>;
}

/** A fresh sandbox; subnet is 10.2xx.N.0/24 unless a prefix length is given (e.g. 30 for one pod). */
export async function sandbox(prefix = 24): Promise<Sandbox> {
  const tag = randomBytes(3).toString('hex');
  const stateDir = await mkdtemp(join(tmpdir(), 'lantern-net-'));
  const options = {
    stateDir,
    networkName: `lt${tag}`,
    bridge: `lt${tag}`,
    subnet: `10.${randomInt(200, 250)}.${randomInt(0, 256)}.0/${prefix}`,
    netnsPrefix: `lt${tag}-`,
  };
  const box: Sandbox = {
    options,
    net: new CniNetwork(options),
    pods: new Set(),
    procs: [],
    async cleanup() {
      for (const p of box.procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
      for (const id of box.pods) {
        await box.net.tearDown(id, []).catch(() => undefined);
        await sweepNatRules(options.networkName, podKey(id)).catch(() => undefined);
      }
      const names = await readdir(NETNS_DIR).catch(() => [] as string[]);
      for (const n of names.filter((x) => x.startsWith(options.netnsPrefix))) await sh('ip', ['netns', 'delete', n]);
      await sh('ip', ['link', 'del', options.bridge]);
      await removeBridgeForwarding(options.bridge);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  return box;
}

/** Runs a command and returns its output; never throws for a non-zero exit. */
export function sh(file: string, args: string[]): Promise<CommandOutput> {
  return runCommand(file, args, { env: toolEnv(), timeoutMs: 20_000 });
}

/** Runs a command inside a named namespace. */
export function inNetns(netns: string, args: string[]): Promise<CommandOutput> {
  return sh('ip', ['netns', 'exec', netns, ...args]);
}

/** A host port nothing holds right now, away from the ephemeral range. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = randomInt(20000, 30000);
    if (!(await probeHostPort({ hostPort: port, containerPort: 1, protocol: 'tcp' }))) return port;
  }
}

/** Starts busybox httpd on port 80 inside the namespace, serving a file with `body`. */
export async function startHttpd(box: Sandbox, netns: string, body: string): Promise<void> {
  const dir = join(box.options.stateDir, `www-${netns}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await writeFile(join(dir, 'index.html'), body);
  const child = spawn('ip', ['netns', 'exec', netns, '/bin/busybox', 'httpd', '-f', '-p', '80', '-h', dir], { stdio: 'ignore', env: toolEnv() });
  box.procs.push(child);
}

/** GET a URL; resolves to status and body, rejects on connection errors or after timeoutMs. */
export function httpGet(url: string, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** GET with retries while the server inside the pod starts; the last error is thrown. */
export async function getWhenUp(url: string, attempts = 40): Promise<{ status: number; body: string }> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await httpGet(url, 2000);
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw last;
}

/** The host's own non-loopback IPv4 addresses (not on pod bridges or veths). */
export function hostAddresses(): string[] {
  const out: string[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (/^(lt|veth|cni|lantern|docker)/.test(name)) continue;
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  }
  return out;
}

/** Every nat/filter rule line mentioning `needle` (to prove teardown removed the pod's rules). */
export async function iptablesLines(needle: string): Promise<string[]> {
  const lines: string[] = [];
  for (const table of ['nat', 'filter']) {
    const r = await sh('iptables', ['-w', '-t', table, '-S']);
    lines.push(...r.stdout.split('\n').filter((l) => l.includes(needle)));
  }
  return lines;
}
