import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openImageStore } from '../../src/image/index.js';
import { busyboxArchive, lanterndBin, sweepHost, type TestServer } from './lanternd.js';
import { stopRemoteAgent, waitNodeReady } from './remote-nodes.js';

/**
 * A `lanternd agent` process joined to a TestServer with the server's join token, in this network
 * namespace, with its own data dir (busybox imported), bridge and pod subnet. It can be killed with
 * SIGKILL and started again over the same data dir, as a crashed node would come back.
 */
export class RemoteAgent {
  readonly root = mkdtempSync(path.join(tmpdir(), 'lantern-e2e-agent-'));
  readonly dataDir = path.join(this.root, 'agent');
  readonly bridge = `lt${randomBytes(3).toString('hex')}`;
  private readonly subnet: string;
  private proc: ChildProcess | undefined;
  private output = '';

  /** extraArgs: more `lanternd agent` flags, e.g. ['--labels', 'zone=a']. */
  constructor(private readonly server: TestServer, readonly name: string, private readonly extraArgs: string[] = []) {
    const n = (process.pid * 17 + 11) % 12800;
    this.subnet = `10.${150 + Math.floor(n / 256)}.${n % 256}.0/24`;
  }

  get log(): string { return this.output; }

  /** Start the agent (importing busybox the first time) and wait until its node is Ready. */
  async start(): Promise<void> {
    if (this.proc === undefined) await (await openImageStore(path.join(this.dataDir, 'images'))).importArchive(busyboxArchive());
    const token = readFileSync(path.join(this.server.dataDir, 'node-token'), 'utf8').trim();
    const proc = spawn(lanterndBin, ['agent', '--server', this.server.url, '--token', token, '--data-dir', this.dataDir,
      '--bridge', this.bridge, '--pod-subnet', this.subnet, '--node-name', this.name, ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d: Buffer) => { this.output += d.toString(); });
    proc.stderr!.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.proc = proc;
    await waitNodeReady(this.server, this.name, () => this.output);
  }

  /** SIGKILL the agent process only: its containers (under conmon) go on running. */
  async kill9(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }

  /** Delete the named pods, stop the agent, and remove everything it made on this host. */
  async remove(...pods: string[]): Promise<void> {
    await stopRemoteAgent(this.server, this.proc, ...pods);
    sweepHost(this.root, this.bridge);
    rmSync(this.root, { recursive: true, force: true });
  }
}
