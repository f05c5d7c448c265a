/**
 * A real 3-member etcd cluster (Debian's etcd-server) for HA tests: members on free loopback ports in
 * 28000-28999, data in one temp dir. kill(i) SIGKILLs one member (the others keep quorum); stop()
 * kills all and removes the dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../../src/testing/eventually.js';

/** A free TCP port on 127.0.0.1 in 28000-28999 (part H3's range), not yet handed out by this process. */
const handedOut = new Set<number>();
export async function port28(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 28000 + Math.floor(Math.random() * 1000);
    if (handedOut.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
    });
    if (free) { handedOut.add(port); return port; }
  }
  throw new Error('no free port in 28000-28999');
}

interface Member { name: string; client: string; peer: string; proc?: ChildProcess; log: string }

/** Three etcd members forming one cluster. */
export class TestEtcdCluster {
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-h3-etcd-'));
  readonly members: Member[] = [];

  /** Every member's client URL, comma-separated, for --datastore-endpoint. */
  get endpoints(): string { return this.members.map((m) => m.client).join(','); }

  /** Start the three members and wait until each answers /health. */
  async start(): Promise<this> {
    for (let i = 1; i <= 3; i++) {
      this.members.push({ name: `h3-e${i}`, client: `http://127.0.0.1:${await port28()}`, peer: `http://127.0.0.1:${await port28()}`, log: '' });
    }
    const cluster = this.members.map((m) => `${m.name}=${m.peer}`).join(',');
    for (const m of this.members) {
      const proc = spawn('etcd', [
        '--name', m.name, '--data-dir', path.join(this.dataDir, m.name),
        '--listen-client-urls', m.client, '--advertise-client-urls', m.client,
        '--listen-peer-urls', m.peer, '--initial-advertise-peer-urls', m.peer,
        '--initial-cluster', cluster, '--initial-cluster-state', 'new', '--initial-cluster-token', path.basename(this.dataDir),
        '--logger', 'zap', '--log-level', 'error', '--enable-pprof=false',
      ], { stdio: ['ignore', 'pipe', 'pipe'] });
      m.proc = proc;
      const keep = (b: Buffer): void => { m.log = (m.log + b.toString()).slice(-10_000); };
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
    }
    for (const m of this.members) {
      await eventually(() => `etcd member ${m.name} healthy: ${m.log}`, async () => {
        try { return (await fetch(`${m.client}/health`)).ok; } catch { return false; }
      }, { timeoutMs: 60_000, intervalMs: 200, abort: () => (m.proc?.exitCode === null ? undefined : `etcd ${m.name} exited`) });
    }
    return this;
  }

  /** SIGKILL member i (0-based), as a crash. */
  async kill(i: number): Promise<void> {
    const p = this.members[i]?.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  /** Kill every member and remove the data. */
  async stop(): Promise<void> {
    for (let i = 0; i < this.members.length; i++) await this.kill(i);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
