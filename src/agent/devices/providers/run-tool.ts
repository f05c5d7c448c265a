/** Running a vendor tool (nvidia-smi, npu-smi) with a bound on time and output. */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';

/** Whether the file exists and may be executed. */
export async function executable(file: string): Promise<boolean> {
  try { await access(file, constants.X_OK); return true; } catch { return false; }
}

/**
 * Its stdout, also when it exits non-zero (nvidia-smi exits 15 when one GPU cannot be read but still
 * prints the others); throws only when it could not run or printed nothing.
 */
export function runTool(file: string, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && stdout.trim() === '') reject(new Error(`${file} ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}
