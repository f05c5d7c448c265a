import { spawn } from 'node:child_process';

/** Run the openssl command; rejects with its stderr (and a hint when it is missing). */
export function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code === 'ENOENT'
        ? 'the openssl command is needed to create the server certificates: install it (apt-get install openssl) or run scripts/setup'
        : `openssl ${args[0] ?? ''}: ${e.message}`));
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`openssl ${args.join(' ')} failed (exit ${code ?? 'signal'}): ${stderr.trim()}`));
    });
  });
}
