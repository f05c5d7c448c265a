/**
 * Which OCI runtime handlers this node can run, found at start by trying each for real: runc is the
 * node's default; runsc (gVisor) must start a sandbox (`runsc do /bin/true`, the host's root as its
 * rootfs), which fails where ptrace or the sandbox's namespaces are not allowed; crun needs a pure
 * cgroup v2 host (it fails on the hybrid v1 + unified layout). Kata would be one more row (not in Debian).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

/** How one handler's binary is run: runc's CLI, with these global flags. */
export interface HandlerBinary {
  /** RuntimeClass.handler: runc, runsc, crun. */
  name: string;
  path: string;
  /** Global flags beyond --root (runsc: the ptrace platform, which needs no KVM). */
  args: string[];
}

/** The handlers Lantern knows, by name. */
export const knownHandlers: Readonly<Record<string, HandlerBinary>> = {
  runc: { name: 'runc', path: '/usr/sbin/runc', args: [] },
  // The ptrace platform works on any x86-64 host without /dev/kvm; Debian 12's runsc (2022-12) has no systrap.
  // --network=host: the sandbox uses the pod's network namespace through the host kernel. Its own stack
  // (--network=sandbox) refuses to start on kernels where /proc/sys/net/core/rmem_default exists in every
  // namespace (its "is this the root namespace" test), which is every recent one (README: gotchas).
  runsc: { name: 'runsc', path: '/usr/bin/runsc', args: ['--platform=ptrace', '--network=host'] },
  crun: { name: 'crun', path: '/usr/bin/crun', args: [] },
};

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: -1, out: e.message }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, out }); });
  });
}

/** Why handler h cannot run here, or undefined when it can. */
export async function probeHandler(h: HandlerBinary): Promise<string | undefined> {
  if (!existsSync(h.path)) return `${h.path} is not installed`;
  if (h.name === 'runsc') {
    const root = await mkdtemp(join(tmpdir(), 'lantern-runsc-probe-'));
    try {
      const r = await run(h.path, ['--root', root, ...h.args, '--network=none', 'do', '/bin/true'], 30_000);
      return r.code === 0 ? undefined : `runsc could not start a sandbox: ${r.out.trim().split('\n').pop() ?? `exit ${r.code}`}`;
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  if (h.name === 'crun' && !existsSync('/sys/fs/cgroup/cgroup.controllers')) return 'crun needs a pure cgroup v2 host; this one has the hybrid v1 layout';
  const v = await run(h.path, ['--version'], 10_000);
  return v.code === 0 ? undefined : `${h.path} --version failed: ${v.out.trim()}`;
}

/** The handlers among names that work here (runc first), and why each other one does not. */
export async function probeHandlers(names: readonly string[], log: (msg: string) => void): Promise<HandlerBinary[]> {
  const out: HandlerBinary[] = [];
  for (const name of names) {
    const h = knownHandlers[name];
    if (!h) { log(`runtime handler ${name}: unknown (known: ${Object.keys(knownHandlers).join(', ')})`); continue; }
    const why = await probeHandler(h);
    if (why === undefined) out.push(h);
    else log(`runtime handler ${name} is not available: ${why}`);
  }
  return out;
}
