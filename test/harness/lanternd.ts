import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';

/** The repository root (dist/test/harness -> ../../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const lanterndBin = path.join(repoRoot, 'bin/lanternd');
export const lcctlBin = path.join(repoRoot, 'bin/lcctl');
/** The sample image archive built by scripts/setup (made on demand here when missing). */
export function busyboxArchive(): string {
  const file = path.join(repoRoot, 'build/images/busybox.tar');
  if (!existsSync(file)) {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/make-busybox-image.mjs'), file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`make-busybox-image failed: ${r.stderr}`);
  }
  return file;
}

export interface LcctlResult { code: number; stdout: string; stderr: string }

let subnetCounter = 0;

/**
 * A real `lanternd server` in its own data dir, port, bridge, pod subnet and cgroup parent, so tests
 * can run side by side. stop() removes every container, namespace and mount it made.
 */
export class TestServer {
  readonly dataDir: string;
  readonly bridge: string;
  readonly subnet: string;
  proc: ChildProcess | undefined;
  url = '';
  token = '';
  /** The CA (PEM) from admin.yaml's caData when the server speaks HTTPS. */
  ca: string | undefined;
  private output = '';

  /** options.https: serve HTTPS as lanternd does by default; otherwise the harness passes --insecure-http. */
  constructor(readonly extraArgs: string[] = [], readonly options: { https?: boolean } = {}) {
    this.dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-e2e-'));
    const id = randomBytes(3).toString('hex');
    this.bridge = `lt${id}`;
    // 10.200.0.0/16 .. 10.249.255.0/24: one /24 per server, spread by pid so parallel test files differ.
    const n = (process.pid * 7 + subnetCounter++) % 12800;
    this.subnet = `10.${200 + Math.floor(n / 256)}.${n % 256}.0/24`;
  }

  get configFile(): string { return path.join(this.dataDir, 'admin.yaml'); }
  get logs(): string { return this.output; }

  async start(): Promise<void> {
    rmSync(this.configFile, { force: true });
    this.output = '';
    // LANTERND_CPU_PROF=DIR (benchmarks): the server writes a V8 CPU profile into DIR when it stops.
    const profile = [...(process.env.LANTERND_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...(process.env.LANTERND_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LANTERND_CPU_PROF}`] : []), lanterndBin];
    this.proc = spawn(process.execPath, [...profile, 'server', '--data-dir', this.dataDir, '--listen', '127.0.0.1:0', '--bridge', this.bridge, '--pod-subnet', this.subnet, '--node-name', 'node-1', '--restart-backoff', '500', ...(this.options.https ? [] : ['--insecure-http']), ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.proc.stderr!.on('data', (d: Buffer) => { this.output += d.toString(); });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (/serving the API/.test(this.output) && existsSync(this.configFile)) break;
      if (this.proc.exitCode !== null) throw new Error(`lanternd exited early:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const cfg = readFileSync(this.configFile, 'utf8');
    this.url = /server: (\S+)/.exec(cfg)?.[1] ?? '';
    this.token = /token: (\S+)/.exec(cfg)?.[1] ?? '';
    const caData = /caData: (\S+)/.exec(cfg)?.[1];
    this.ca = caData === undefined ? undefined : Buffer.from(caData, 'base64').toString('utf8');
    if (!this.url) throw new Error(`lanternd did not come up:\n${this.output}`);
  }

  /** SIGKILL the daemon, as a crash would. */
  async kill9(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  /** Run lcctl against this server. */
  lcctl(args: string[], input?: string, env: Record<string, string> = {}): Promise<LcctlResult> {
    return new Promise((resolve) => {
      const child = spawn(lcctlBin, args, { env: { ...process.env, LANTERN_CONFIG: this.configFile, NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.stdin.end(input ?? '');
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** A JSON API call with the admin token. */
  async api<T = unknown>(method: string, p: string, body?: unknown, token = this.token): Promise<{ status: number; body: T }> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let res: { status: number; text: string };
    if (this.url.startsWith('https:')) {
      // fetch cannot be given a CA, so HTTPS servers are called through node:https.
      res = await new Promise((resolve, reject) => {
        const req = https.request(this.url + p, { method, headers, ca: this.ca }, (r) => {
          let text = '';
          r.on('data', (d: Buffer) => { text += d.toString(); });
          r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
          r.on('error', reject);
        });
        req.on('error', reject);
        req.end(payload);
      });
    } else {
      const r = await fetch(this.url + p, { method, headers, body: payload });
      res = { status: r.status, text: await r.text() };
    }
    const text = res.text;
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed as T };
  }

  /** Poll fn until it returns a truthy value (no fixed sleeps in tests). */
  async until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\n--- lanternd log ---\n${this.output.slice(-4000)}`);
  }

  /** Stop the daemon and remove everything it created on the host. */
  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc!.once('exit', r));
      this.proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    }
    sweepHost(this.dataDir, this.bridge);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Kill and delete every container, mount and network namespace under a data dir. */
export function sweepHost(dataDir: string, bridge: string): void {
  const runcRoot = path.join(dataDir, 'agent/containers/runc');
  if (existsSync(runcRoot)) {
    for (const id of readdirSync(runcRoot)) {
      spawnSync('runc', ['--root', runcRoot, 'kill', id, 'KILL']);
      for (let i = 0; i < 20; i++) {
        const r = spawnSync('runc', ['--root', runcRoot, 'delete', '--force', id]);
        if (r.status === 0) break;
        spawnSync('sleep', ['0.05']);
      }
    }
  }
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(dataDir)).reverse();
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  const tag = spawnSync('sh', ['-c', `ip netns list | awk '{print $1}'`], { encoding: 'utf8' }).stdout.split('\n');
  const prefix = netnsPrefixFor(dataDir);
  for (const ns of tag) if (ns.startsWith(prefix)) spawnSync('ip', ['netns', 'delete', ns]);
  spawnSync('ip', ['link', 'delete', bridge]);
  sweepCniNatRules(`lantern-${tagFor(dataDir)}`);
  removeCgroupParent(`lantern-${tagFor(dataDir)}`);
  // The bridge's FORWARD and masquerade rules (network/iptables.ts: ensureBridgeForwarding).
  for (const [table, chain] of [['filter', 'FORWARD'], ['nat', 'POSTROUTING']]) {
    const rules = spawnSync('iptables', ['-w', '-t', table!, '-S', chain!], { encoding: 'utf8' }).stdout ?? '';
    for (const line of rules.split('\n')) {
      if (!line.startsWith(`-A ${chain} `) || !line.includes(`"lantern ${bridge}"`)) continue;
      const args = line.slice(`-A ${chain} `.length).match(/"[^"]*"|\S+/g)?.map((a) => a.replace(/^"|"$/g, '')) ?? [];
      spawnSync('iptables', ['-w', '-t', table!, '-D', chain!, ...args]);
    }
  }
}

/** Mirrors daemon/node-components.ts: host-wide names derive from the agent's data dir, DATA_DIR/agent. */
function tagFor(dataDir: string): string {
  return createHash('sha256').update(path.join(path.resolve(dataDir), 'agent')).digest('hex').slice(0, 6);
}

function netnsPrefixFor(dataDir: string): string {
  return `lt${tagFor(dataDir)}-`;
}

/** The (empty once runc deleted its containers) cgroup parent under every hierarchy. */
export function removeCgroupParent(name: string): void {
  for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    let dirs: string[] = [];
    try { dirs = readdirSync(root); } catch { continue; }
    for (const d of [...dirs, '.']) {
      const dir = path.join(root, d, name);
      if (existsSync(dir)) spawnSync('rmdir', [dir]);
    }
  }
}

/**
 * The CNI plugins' per-pod nat rules of one network (portmap's DNAT chains and their jumps), for a
 * daemon that was killed before its agent could run DEL. They carry `name: "NETWORK"` comments.
 */
export function sweepCniNatRules(network: string): void {
  const rules = spawnSync('iptables', ['-w', '-t', 'nat', '-S'], { encoding: 'utf8' }).stdout ?? '';
  const chains = new Set<string>();
  for (const line of rules.split('\n')) {
    if (!line.startsWith('-A ') || !line.includes(`name: \\"${network}\\"`)) continue;
    const args = line.slice(3).match(/"(?:[^"\\]|\\.)*"|\S+/g)?.map((a) => a.startsWith('"') ? a.slice(1, -1).replace(/\\"/g, '"') : a) ?? [];
    const target = /-j (CNI-\S+)/.exec(line)?.[1];
    if (target) chains.add(target);
    spawnSync('iptables', ['-w', '-t', 'nat', '-D', ...args]);
  }
  for (const chain of chains) {
    if (chain === 'CNI-HOSTPORT-DNAT' || chain === 'CNI-HOSTPORT-MASQ' || chain === 'CNI-HOSTPORT-SETMARK') continue;
    spawnSync('iptables', ['-w', '-t', 'nat', '-F', chain]);
    spawnSync('iptables', ['-w', '-t', 'nat', '-X', chain]);
  }
}
