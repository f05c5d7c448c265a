import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ContainerDir } from './container-dir.js';

/** Everything conmon needs to create one container. */
export interface ConmonLaunch {
  conmonPath: string;
  runcPath: string;
  runcRoot: string;
  /** Further global flags for the runtime binary (runsc's --platform), each passed as --runtime-arg. */
  runtimeArgs?: readonly string[];
  dir: ContainerDir;
  cuuid: string;
  name: string;
  socketDir: string;
  terminal: boolean;
  stdin: boolean;
  timeoutMs?: number;
}

/** conmon's argv; exported so the README and tests can show exactly what runs. */
export function conmonArgs(o: ConmonLaunch): string[] {
  const d = o.dir;
  return [
    '--cid', d.id, '--cuuid', o.cuuid, '--name', o.name,
    '--bundle', d.bundle,
    '--runtime', o.runcPath, `--runtime-arg=--root=${o.runcRoot}`, ...(o.runtimeArgs ?? []).map((a) => `--runtime-arg=${a}`),
    '--log-path', `k8s-file:${d.logPath}`,
    '--exit-dir', d.exitDir, '--persist-dir', d.persistDir,
    '--socket-dir-path', o.socketDir,
    '--conmon-pidfile', d.conmonPidFile, '--container-pidfile', d.containerPidFile,
    '--log-level', 'error',
    ...(o.terminal ? ['--terminal'] : []),
    ...(o.stdin ? ['--stdin'] : []),
  ];
}

/**
 * Starts conmon, which double-forks into a daemon and runs `runc create`; resolves with the container's
 * pid once conmon reports it on the sync pipe (fd 3). conmon is never a child we wait on: the container
 * must outlive this process.
 */
export function launchConmon(o: ConmonLaunch): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, _OCI_SYNCPIPE: '3' };
  delete env['NOTIFY_SOCKET'];
  delete env['_OCI_STARTPIPE'];
  delete env['_OCI_ATTACHPIPE'];
  const child = spawn(o.conmonPath, conmonArgs(o), {
    cwd: o.dir.bundle, detached: true, env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const stderr = child.stdio[2] as Readable;
  const sync = child.stdio[3] as Readable;
  let errText = '';
  let syncText = '';
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, pid?: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sync.destroy();
      stderr.destroy();
      child.unref();
      if (err) reject(err);
      else resolve(pid ?? -1);
    };
    const fail = (why: string): Error => {
      const detail = errText.split('\n').filter((l) => l.trim() && !l.includes('oom_score_adj')).join('; ');
      return new Error(`conmon could not create container ${o.dir.id}: ${why}${detail ? ` (${detail})` : ''}`);
    };
    const timer = setTimeout(() => finish(fail(`no answer within ${(o.timeoutMs ?? 60_000) / 1000}s`)), o.timeoutMs ?? 60_000);
    stderr.on('data', (b: Buffer) => { errText += b.toString('utf8'); });
    sync.on('data', (b: Buffer) => {
      syncText += b.toString('utf8');
      let nl: number;
      while ((nl = syncText.indexOf('\n')) >= 0) {
        const line = syncText.slice(0, nl).trim();
        syncText = syncText.slice(nl + 1);
        if (!line) continue;
        const msg = parseSyncMessage(line);
        if (msg.pid > 0) finish(undefined, msg.pid);
        else finish(fail(msg.message ?? `runc create failed (${line})`));
        return;
      }
    });
    sync.on('end', () => finish(fail('conmon exited without reporting the container')));
    child.on('error', (e) => finish(fail(`cannot run ${o.conmonPath}: ${e.message}`)));
  });
}

/** conmon writes {"pid": N} (or {"data": N} with --api-version) and a message on failure. */
export function parseSyncMessage(line: string): { pid: number; message?: string } {
  try {
    const v = JSON.parse(line) as { pid?: unknown; data?: unknown; message?: unknown };
    const pid = typeof v.pid === 'number' ? v.pid : typeof v.data === 'number' ? v.data : -1;
    const message = typeof v.message === 'string' ? cleanMessage(v.message) : undefined;
    return message === undefined ? { pid } : { pid, message };
  } catch {
    return { pid: -1, message: `unreadable message from conmon: ${line}` };
  }
}

function cleanMessage(m: string): string {
  const inner = /msg="((?:[^"\\]|\\.)*)"/.exec(m);
  return (inner?.[1] ?? m).replace(/\\(.)/g, '$1').trim();
}
