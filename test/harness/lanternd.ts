/**
 * The lanternd process harness: TestServer (a real `lanternd server` of its own) over LanterndProcess,
 * which every lanternd a test or benchmark starts goes through (agents: remote-agent.ts; simulators:
 * sim.ts). What they leave on the host is removed by host-sweep.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { eventually } from '../../src/testing/eventually.js';
import { sweepHost } from './host-sweep.js';
import { LanterndProcess, repoRoot } from './lanternd-process.js';

export { removeCgroupParent, sweepCniNatRules, sweepHost } from './host-sweep.js';
export { LanterndProcess, lanterndBin, repoRoot, runLanternd, type LanterndOptions } from './lanternd-process.js';

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
  /** Its cluster CIDR (--cluster-cidr): every node's pod range is cut from it. */
  readonly subnet: string;
  process: LanterndProcess | undefined;
  url = '';
  token = '';
  /** The CA (PEM) from admin.yaml's caData when the server speaks HTTPS. */
  ca: string | undefined;

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
  get logs(): string { return this.process?.log ?? ''; }
  /** The server's child process (undefined before start()). */
  get proc(): ChildProcess | undefined { return this.process?.proc; }
  /** The join token lanternd wrote to DATA_DIR/node-token (agents and sims join with it). */
  get joinToken(): string { return readFileSync(path.join(this.dataDir, 'node-token'), 'utf8').trim(); }

  async start(): Promise<void> {
    rmSync(this.configFile, { force: true });
    // LANTERND_CPU_PROF=DIR (benchmarks): the server writes a V8 CPU profile into DIR when it stops.
    const nodeFlags = [...(process.env.LANTERND_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...(process.env.LANTERND_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LANTERND_CPU_PROF}`] : [])];
    // The server's /24 is its cluster CIDR (8 nodes of 30 pods); no routes between nodes unless a test asks
    // for a backend (a VXLAN device in this namespace would collide with other test servers' ones).
    const network = [...(this.extraArgs.includes('--cluster-cidr') ? [] : ['--cluster-cidr', this.subnet, '--node-cidr-mask-size', '27']),
      ...(this.extraArgs.includes('--network-backend') ? [] : ['--network-backend', 'none'])];
    const p = new LanterndProcess(['server', '--data-dir', this.dataDir, '--listen', '127.0.0.1:0', '--bridge', this.bridge, ...network, '--node-name', 'node-1', '--restart-backoff', '500', ...(this.options.https ? [] : ['--insecure-http']), ...this.extraArgs], { nodeFlags });
    this.process = p;
    await eventually('lanternd to serve the API', () => /serving the API/.test(p.log) && existsSync(this.configFile),
      { timeoutMs: 30_000, intervalMs: 25, abort: () => (p.running ? undefined : 'lanternd exited early') })
      .catch((e: Error) => { throw new Error(`${e.message}:\n${p.log}`); });
    const cfg = readFileSync(this.configFile, 'utf8');
    this.url = /server: (\S+)/.exec(cfg)?.[1] ?? '';
    this.token = /token: (\S+)/.exec(cfg)?.[1] ?? '';
    const caData = /caData: (\S+)/.exec(cfg)?.[1];
    this.ca = caData === undefined ? undefined : Buffer.from(caData, 'base64').toString('utf8');
    if (!this.url) throw new Error(`lanternd did not come up:\n${p.log}`);
  }

  /** SIGKILL the daemon, as a crash would. */
  async kill9(): Promise<void> { await this.process?.kill9(); }

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

  /**
   * The kit's eventually, with the end of the server's log in the error (no fixed sleeps in tests).
   * `what` may be a function, read only on timeout, so agents' logs in it are those of that moment.
   */
  until<T>(what: string | (() => string), fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
    return eventually(() => `${typeof what === 'function' ? what() : what}\n--- lanternd log ---\n${this.logs.slice(-4000)}\n---`, fn, { timeoutMs });
  }

  /** Stop the daemon and remove everything it created on the host. */
  async stop(): Promise<void> {
    await this.process?.stop();
    sweepHost(this.dataDir, this.bridge);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
