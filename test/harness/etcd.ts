/**
 * A real etcd (Debian's etcd-server) for tests: one member on free loopback ports with its data in a
 * temp dir. stop() kills it and removes the dir; restart() keeps the data (a member that was down).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeHostPort } from './cli.js';

/** One etcd member started for a test. */
export class TestEtcd {
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-h1-etcd-'));
  private proc: ChildProcess | undefined;
  private clientPort = 0;
  private peerPort = 0;
  log = '';

  /** The client URL to pass as --datastore-endpoint. */
  get endpoint(): string { return `http://127.0.0.1:${this.clientPort}`; }

  /** Starts etcd and waits until it answers /health. */
  async start(): Promise<this> {
    if (this.clientPort === 0) {
      this.clientPort = await freeHostPort();
      this.peerPort = await freeHostPort();
    }
    const peer = `http://127.0.0.1:${this.peerPort}`;
    const proc = spawn('etcd', [
      '--name', 'h1', '--data-dir', path.join(this.dataDir, 'data'),
      '--listen-client-urls', this.endpoint, '--advertise-client-urls', this.endpoint,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `h1=${peer}`, '--initial-cluster-state', 'new',
      '--logger', 'zap', '--log-level', 'error', '--enable-pprof=false',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    const keep = (b: Buffer): void => { this.log = (this.log + b.toString()).slice(-20_000); };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`etcd exited with ${proc.exitCode}: ${this.log}`);
      try {
        const res = await fetch(`${this.endpoint}/health`);
        if (res.ok) return this;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`etcd did not become healthy in 30 s: ${this.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Kills the member (SIGKILL: as a crash), keeping its data. */
  async kill(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  /** Kills the member and removes its data. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
