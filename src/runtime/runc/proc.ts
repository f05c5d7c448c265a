// Helper commands run through host/ (shared with the image store and the builder); signals stay runc's own.
export { runCommand, sleep, type RunResult } from '../../host/command.js';

const SIGNALS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18,
  SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26,
  SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
};

/** Signal number for "SIGTERM", "TERM" or "15"; throws on an unknown name. */
export function signalNumber(sig: string): number {
  const s = sig.trim().toUpperCase();
  if (/^\d+$/.test(s)) return Number(s);
  const n = SIGNALS[s.startsWith('SIG') ? s : `SIG${s}`];
  if (n === undefined) throw new Error(`unknown signal "${sig}": use a name such as SIGTERM or a number`);
  return n;
}

/** True when a process with this pid exists (zombies included). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
