import { runCommand } from '../host/command.js';

/** Runs a command without a shell; rejects with its stderr when it exits non-zero. */
export async function run(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<string> {
  const r = await runCommand(cmd, args, opts);
  if (r.code === 0) return r.stdout;
  const text = r.stderr.trim().split('\n').slice(-5).join('\n');
  throw new Error(`${cmd} ${args.join(' ')} failed (exit code ${r.code})${text ? `: ${text}` : ''}`);
}
