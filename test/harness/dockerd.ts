/** A private dockerd for tests that check archives against real Docker. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What one docker CLI call printed. */
export interface DockerRun { code: number; stdout: string; stderr: string }

/**
 * dockerd with its own data root, exec root, pid file and socket, no bridge and no iptables, so a test
 * neither needs nor disturbs a Docker the machine may run. Containers must use `--network none`.
 */
export class PrivateDocker {
  readonly root = mkdtempSync(path.join(tmpdir(), 'lantern-dockerd-'));
  readonly sock = path.join(this.root, 'docker.sock');
  private proc: ChildProcess | undefined;
  private log = '';

  /** extraArgs: more dockerd flags (e.g. --storage-driver=overlay2). */
  constructor(private readonly extraArgs: readonly string[] = []) {}

  /** Starts dockerd and waits until it answers (60 s at most). */
  async start(): Promise<void> {
    this.proc = spawn('dockerd', ['--data-root', path.join(this.root, 'data'), '--exec-root', path.join(this.root, 'exec'),
      '--pidfile', path.join(this.root, 'dockerd.pid'), '-H', `unix://${this.sock}`, '--bridge=none', '--iptables=false',
      '--ip6tables=false', ...this.extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc.stderr?.on('data', (b: Buffer) => { this.log = (this.log + b.toString()).slice(-4000); });
    for (let i = 0; i < 300; i++) {
      if (this.cli(['version', '--format', '{{.Server.Version}}']).code === 0) return;
      if (this.proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`dockerd did not start:\n${this.log}`);
  }

  /** Runs the docker CLI against this daemon with its own client config dir (input: its stdin); never throws. */
  cli(args: string[], input?: string): DockerRun {
    const r = spawnSync('docker', ['-H', `unix://${this.sock}`, ...args], { encoding: 'utf8', input, timeout: 300_000,
      env: { ...process.env, DOCKER_CONFIG: path.join(this.root, 'client'), DOCKER_BUILDKIT: '0' } });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** Runs the docker CLI and throws with its output unless it succeeded; returns stdout. */
  must(args: string[], input?: string): string {
    const r = this.cli(args, input);
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${r.code}):\n${r.stdout}${r.stderr}\ndockerd log:\n${this.log}`);
    return r.stdout;
  }

  /** Stops dockerd (TERM, then KILL after 30 s), unmounts what it left and deletes its directory. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null && p.signalCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(this.root)).reverse();
    for (const m of mounts) spawnSync('umount', ['-l', m]);
    rmSync(this.root, { recursive: true, force: true });
  }
}
