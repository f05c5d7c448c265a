import { spawn } from 'node:child_process';

/** What a finished child process left behind. */
export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for runCommand. */
export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the child after this long; CNI plugins wait on file locks and can hang. */
  timeoutMs?: number;
}

/** Runs a program without a shell and collects its output; never rejects for a non-zero exit. */
export function runCommand(file: string, args: string[], opts: RunOptions = {}): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({
        code: code ?? 128,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: timedOut ? `${stderr}\n(killed after ${opts.timeoutMs ?? 60_000} ms)` : signal ? `${stderr}\n(killed by ${signal})` : stderr,
      });
    });
    // A plugin that exits before reading stdin would otherwise surface EPIPE as an unhandled error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a system tool (ip, iptables) and throws with its stderr when it fails. */
export async function runTool(file: string, args: string[]): Promise<string> {
  const r = await runCommand(file, args, { env: toolEnv() });
  if (r.code !== 0) {
    throw new Error(`${file} ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

/** The caller's environment with sbin directories on PATH (ip, iptables and sysctl live there). */
export function toolEnv(): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '').split(':').filter((p) => p !== '');
  for (const dir of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!path.includes(dir)) path.push(dir);
  }
  return { ...process.env, PATH: path.join(':') };
}
