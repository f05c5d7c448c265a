import { runCommand } from './proc.js';

/** What `runc state` prints. */
export interface RuncState {
  id: string;
  pid: number;
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
  bundle: string;
  created: string;
}

/** Thin wrapper over the runc command line, all calls under one --root. */
export class RuncCli {
  /** extraArgs: further global flags of an OCI runtime in runc's CLI mould (runsc's --platform=ptrace). */
  constructor(readonly path: string, readonly root: string, readonly extraArgs: readonly string[] = []) {}

  /** Global arguments every runc call starts with. */
  globalArgs(): string[] {
    return ['--root', this.root, ...this.extraArgs];
  }

  /** undefined when runc does not know the container. */
  async state(id: string): Promise<RuncState | undefined> {
    const r = await runCommand(this.path, [...this.globalArgs(), 'state', id], { timeoutMs: 30_000 });
    if (r.code !== 0) {
      if (/does not exist|not exist/.test(r.stderr)) return undefined;
      throw new Error(`runc state ${id} failed: ${cleanRuncError(r.stderr)}`);
    }
    return JSON.parse(r.stdout) as RuncState;
  }

  /** Starts a created container. */
  async start(id: string): Promise<void> {
    const r = await runCommand(this.path, [...this.globalArgs(), 'start', id], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`runc start ${id} failed: ${cleanRuncError(r.stderr)}`);
  }

  /** Sends a signal; false when there was nothing left to signal. */
  async kill(id: string, signal: string, all = false): Promise<boolean> {
    const args = [...this.globalArgs(), 'kill', ...(all ? ['--all'] : []), id, signal];
    const r = await runCommand(this.path, args, { timeoutMs: 30_000 });
    if (r.code === 0) return true;
    if (/does not exist|not running|process already finished|no such process/i.test(r.stderr)) return false;
    throw new Error(`runc kill ${id} ${signal} failed: ${cleanRuncError(r.stderr)}`);
  }

  /** Deletes the container (killing it first); a missing container is not an error. */
  async delete(id: string): Promise<void> {
    const r = await runCommand(this.path, [...this.globalArgs(), 'delete', '--force', id], { timeoutMs: 60_000 });
    if (r.code !== 0 && !/does not exist/.test(r.stderr)) {
      throw new Error(`runc delete ${id} failed: ${cleanRuncError(r.stderr)}`);
    }
  }

  /** First line of `runc --version`. */
  async version(): Promise<string> {
    const r = await runCommand(this.path, ['--version'], { timeoutMs: 10_000 });
    return r.stdout.split('\n')[0]?.trim() ?? 'runc';
  }
}

/** runc logs errors as logrus lines (time=... level=error msg="..."); keep only the message. */
export function cleanRuncError(stderr: string): string {
  const msgs = [...stderr.matchAll(/msg="((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
  return (msgs.length ? msgs.join('; ') : stderr).trim();
}
