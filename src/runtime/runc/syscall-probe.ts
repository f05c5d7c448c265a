/**
 * Test support only: a tiny static C program that makes the syscalls busybox cannot, and prints one
 * line per call: `NAME ok` or `NAME EPERM` (the errno's name). Static, so it runs in any rootfs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';

const SOURCE = String.raw`
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static long traceme(void) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) _exit(syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0) == 0 ? 0 : errno);
  int st = 0;
  waitpid(pid, &st, 0);
  if (WEXITSTATUS(st) == 0) return 0;
  errno = WEXITSTATUS(st);
  return -1;
}

static long call(const char *n) {
  char buf[8];
  struct iovec local = { buf, sizeof buf }, remote = { (void *)n, 1 };
  if (!strcmp(n, "ptrace")) return traceme();
  if (!strcmp(n, "kcmp")) return syscall(SYS_kcmp, getpid(), getpid(), 1 /* KCMP_VM */, 0, 0);
  if (!strcmp(n, "process_vm_readv")) return syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0);
  if (!strcmp(n, "personality")) return syscall(SYS_personality, 0x0040000 /* ADDR_NO_RANDOMIZE, as setarch -R */);
  if (!strcmp(n, "personality-query")) return syscall(SYS_personality, 0xffffffff);
  if (!strcmp(n, "mkdir")) return syscall(SYS_mkdirat, AT_FDCWD, "/tmp/probe-dir", 0755);
  if (!strcmp(n, "unshare-user")) return syscall(SYS_unshare, CLONE_NEWUSER);
  if (!strcmp(n, "getpid")) return syscall(SYS_getpid);
  errno = EINVAL;
  return -2;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    long r = call(argv[i]);
    if (r == -2) { printf("%s unknown-probe\n", argv[i]); continue; }
    if (r < 0) printf("%s %s\n", argv[i], strerrorname_np(errno)); else printf("%s ok\n", argv[i]);
  }
  return 0;
}
`;

/** Compiles the probe (static) into dir once; returns its path. */
export async function buildSyscallProbe(dir: string): Promise<string> {
  const path = join(dir, 'syscall-probe');
  if (existsSync(path)) return path;
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const err = await new Promise<string | undefined>((resolve) => {
    const cc = spawn(process.env['CC'] ?? 'cc', ['-static', '-O2', '-o', tmp, '-x', 'c', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let text = '';
    cc.stderr.on('data', (b: Buffer) => { text += b.toString('utf8'); });
    cc.on('error', (e) => resolve(e.message));
    cc.on('close', (code) => resolve(code === 0 ? undefined : text || `cc exited ${code}`));
    cc.stdin.end(SOURCE);
  });
  if (err !== undefined) throw new Error(`cannot build the syscall probe (needs cc and a static libc): ${err}`);
  await rename(tmp, path);
  return path;
}

/** Parses the probe's output into { name: 'ok' | 'EPERM' | ... }. */
export function probeResults(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lines) {
    const [name, result] = l.trim().split(' ');
    if (name && result) out[name] = result;
  }
  return out;
}
