import { spawn, spawnSync } from 'node:child_process';
import { eventually } from '../../src/testing/eventually.js';

/** Output of a finished command. */
export interface Ran { code: number; stdout: string; stderr: string; ms: number }

/**
 * Run a command to completion and time it from spawn to exit (the whole process: exec, runtime
 * start-up, the work, and its exit), the way a user at a shell experiences it.
 */
export function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/** timed(), but a non-zero exit throws with the command's stderr. */
export async function timedOk(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const r = await timed(cmd, args, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.ms;
}

/** Run a short command synchronously; returns trimmed stdout ('' when it failed or is missing). */
export function capture(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

/** Run a command synchronously; a non-zero exit throws with its stderr. */
export function must(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** Sleep (used only for the documented settling periods, never to wait for a condition). */
export const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));

/** Poll fn until it returns a truthy value or the deadline passes (the test kit's eventually, with the benchmarks' defaults). */
export function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  return eventually(`${what} (${timeoutMs} ms)`, fn, { timeoutMs, intervalMs: everyMs });
}
