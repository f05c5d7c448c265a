/**
 * The user-space NFS client (native/lantern-nfs-fuse.c: libnfs + libfuse3) for kernels without the nfs
 * filesystem: built once with `cc` into a cache dir named by the source's hash, as the attach helper
 * is, and run for mount, probe and the provisioner's mkdir / rm -r below an export.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** native/lantern-nfs-fuse.c, found from src/agent/volumes or dist/src/agent/volumes. */
function sourcePath(): string {
  for (const up of ['../../../native', '../../../../native']) {
    const p = fileURLToPath(new URL(`${up}/lantern-nfs-fuse.c`, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('native/lantern-nfs-fuse.c is missing from the Lantern package');
}

/** Output and exit status of one run. */
export interface RunResult { code: number; stdout: string; stderr: string }

/** Runs a command to its end, collecting its output (never throws for a non-zero exit). */
export function runTool(cmd: string, args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: stderr + e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const building = new Map<string, Promise<string>>();

/** Compiles the helper once into binDir and answers its path; the error names the missing -dev packages. */
export function ensureNfsHelper(binDir: string, cc = 'cc'): Promise<string> {
  let p = building.get(binDir);
  if (!p) {
    p = build(binDir, cc);
    building.set(binDir, p);
    p.catch(() => building.delete(binDir));
  }
  return p;
}

async function build(binDir: string, cc: string): Promise<string> {
  const src = sourcePath();
  const hash = createHash('sha256').update(await readFile(src)).digest('hex').slice(0, 12);
  const out = join(binDir, `lantern-nfs-fuse-${hash}`);
  if (existsSync(out)) return out;
  await mkdir(binDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const r = await runTool(cc, ['-O2', '-I/usr/include/fuse3', '-o', tmp, src, '-lfuse3', '-lpthread', '-lnfs']);
  if (r.code !== 0) {
    throw new Error(`cannot build the NFS client helper (needs cc, libnfs-dev, libfuse3-dev: scripts/packages.sh): ${r.stderr.trim().slice(0, 500)}`);
  }
  await rename(tmp, out);
  return out;
}

/** Where an NFS export is and how to reach it (ports from mount options, as the kernel client's port=/mountport=). */
export interface NfsTarget { server: string; path: string; mountOptions?: string[] }

/** libnfs's URL for an export (NFSv3; port= and mountport= skip the portmapper as the kernel's options do). */
export function nfsUrl(t: NfsTarget): string {
  const q: string[] = [];
  let version = '3';
  for (const o of t.mountOptions ?? []) {
    const [k, v] = o.split('=', 2);
    if ((k === 'port' || k === 'nfsport') && v && /^\d+$/.test(v)) q.push(`nfsport=${v}`);
    else if (k === 'mountport' && v && /^\d+$/.test(v)) q.push(`mountport=${v}`);
    else if ((k === 'nfsvers' || k === 'vers') && (v === '3' || v === '4')) version = v;
  }
  q.push(`version=${version}`);
  const host = t.server.includes(':') && !t.server.startsWith('[') ? `[${t.server}]` : t.server;
  return `nfs://${host}${t.path.startsWith('/') ? '' : '/'}${t.path}?${q.join('&')}`;
}

/** Runs one helper subcommand against an export; throws with the helper's own reason on failure. */
export async function nfsHelper(helper: string, cmd: 'probe' | 'mkdir' | 'rmr', t: NfsTarget, sub?: string): Promise<void> {
  const r = await runTool(helper, [cmd, nfsUrl(t), ...(sub !== undefined ? [sub] : [])], 60_000);
  if (r.code !== 0) throw new Error(r.stderr.trim() || `lantern-nfs-fuse ${cmd} exited ${r.code}`);
}

/** True when this kernel has the nfs filesystem (then `mount -t nfs` is used instead of the helper). */
export async function kernelHasNfs(): Promise<boolean> {
  const text = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  return text.split('\n').some((l) => l.split('\t')[1] === 'nfs');
}

/** Directory operations below exports through the helper (the nfs provisioner's NfsExports), built in binDir. */
export function helperNfsExports(binDir: string): { mkdir(t: NfsTarget, sub: string): Promise<void>; rmr(t: NfsTarget, sub: string): Promise<void> } {
  return {
    mkdir: async (t, sub) => nfsHelper(await ensureNfsHelper(binDir), 'mkdir', t, sub),
    rmr: async (t, sub) => nfsHelper(await ensureNfsHelper(binDir), 'rmr', t, sub),
  };
}
