/**
 * Runs one child process (the etcd member) and starts it again when it exits, with a back-off that
 * doubles from `minBackoffMs` to `maxBackoffMs` and starts over after `stableMs` of running; stop()
 * ends it (SIGTERM, SIGKILL after `graceMs`) and restarts no more. Its output is kept (the last 20 kB)
 * for error messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** How the supervisor runs its child. */
export interface SupervisorOptions {
  command: string;
  args: string[];
  minBackoffMs?: number;
  maxBackoffMs?: number;
  stableMs?: number;
  graceMs?: number;
  /** Told about each exit and restart (lanternd logs them). */
  log?: (line: string) => void;
}

/** A supervised child process. */
export class Supervisor {
  private child: ChildProcess | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  /** How many times the child was started again after it exited. */
  restarts = 0;
  /** The child's last output. */
  output = '';

  constructor(private readonly o: SupervisorOptions) { this.backoffMs = o.minBackoffMs ?? 1_000; }

  /** The running child's pid, or undefined between an exit and the restart. */
  get pid(): number | undefined { return this.child?.exitCode === null ? this.child.pid : undefined; }

  /** Starts the child (its failures to start are retried like exits). */
  start(): void { this.stopped = false; this.spawnChild(); }

  private spawnChild(): void {
    const startedAt = Date.now();
    const child = spawn(this.o.command, this.o.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (b: Buffer): void => { this.output = (this.output + b.toString()).slice(-20_000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let ended = false;
    const ended1 = (why: string): void => {
      if (ended) return;
      ended = true;
      if (this.child === child) this.child = undefined;
      if (this.stopped) return;
      if (Date.now() - startedAt >= (this.o.stableMs ?? 60_000)) this.backoffMs = this.o.minBackoffMs ?? 1_000;
      const wait = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.o.maxBackoffMs ?? 30_000);
      this.o.log?.(`${this.o.command} ${why}; starting it again in ${wait} ms`);
      this.timer = setTimeout(() => { this.timer = undefined; if (!this.stopped) { this.restarts++; this.spawnChild(); } }, wait);
    };
    child.on('error', (err) => ended1(`could not be started (${err.message})`));
    child.on('exit', (code, signal) => ended1(`exited (${signal ?? `code ${code ?? '?'}`})`));
  }

  /** Ends the child and stops restarting it. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), this.o.graceMs ?? 10_000);
    await exited;
    clearTimeout(kill);
  }
}
