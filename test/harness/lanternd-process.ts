/**
 * One `lanternd` process, whatever its subcommand (server, agent, sim, or a one-shot command): started
 * from bin/lanternd under this Node, its output kept, stopped gently or killed. TestServer,
 * RemoteAgent, startSim and the benchmarks all spawn lanternd through it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (dist/test/harness -> ../../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const lanterndBin = path.join(repoRoot, 'bin/lanternd');

/** How to start it. */
export interface LanterndOptions {
  /** argv put before Node (e.g. `nsenter --net=/run/netns/X --` to run it in a network namespace). */
  prefix?: string[];
  /** Node's own flags (a CPU profile, a preloaded module). */
  nodeFlags?: string[];
  env?: NodeJS.ProcessEnv;
  /** Keep only the last this many characters of output (long benchmarks); default all. */
  keepOutput?: number;
  /** Sees every chunk of output as it comes (counting lines of a kind). */
  onOutput?: (text: string) => void;
}

/** A running lanternd; `log` is what it printed on stdout and stderr, interleaved. */
export class LanterndProcess {
  readonly proc: ChildProcess;
  /** Resolves when the process has ended (at once if it already had). */
  readonly exited: Promise<void>;
  private output = '';

  constructor(args: string[], opts: LanterndOptions = {}) {
    const [cmd, ...pre] = [...(opts.prefix ?? []), process.execPath];
    this.proc = spawn(cmd!, [...pre, ...(opts.nodeFlags ?? []), lanterndBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const keep = (d: Buffer): void => {
      const text = d.toString();
      opts.onOutput?.(text);
      this.output += text;
      if (opts.keepOutput !== undefined && this.output.length > opts.keepOutput) this.output = this.output.slice(-opts.keepOutput);
    };
    this.proc.stdout!.on('data', keep);
    this.proc.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => {
      if (!this.running) resolve();
      else this.proc.once('exit', () => resolve());
    });
  }

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error('lanternd did not start');
    return this.proc.pid;
  }

  get log(): string { return this.output; }

  /** Neither exited nor killed by a signal yet. */
  get running(): boolean { return this.proc.exitCode === null && this.proc.signalCode === null; }

  /** SIGTERM, then SIGKILL after graceMs; resolves once it has ended. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, graceMs))]);
    if (this.running) { this.proc.kill('SIGKILL'); await this.exited; }
  }

  /** SIGKILL, as a crash or a power cut would; resolves once it has ended. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGKILL');
    await this.exited;
  }
}

/** Run a lanternd command to its end and collect what it printed (for runs expected to fail). */
export async function runLanternd(args: string[], opts: LanterndOptions = {}): Promise<{ code: number | null; output: string }> {
  const p = new LanterndProcess(args, opts);
  const code = await new Promise<number | null>((resolve) => p.proc.once('close', (c: number | null) => resolve(c)));
  return { code, output: p.log };
}
