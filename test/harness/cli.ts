/**
 * Helpers for the lcctl end-to-end tests: run the CLI with failure messages that carry the command,
 * its output and the daemon's log; stream a long-running lcctl; find a free host port.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { lcctlBin, busyboxArchive, type LcctlResult, type TestServer } from './lanternd.js';

/** What one lcctl call printed, with the arguments it was run with. */
export interface CliRun extends LcctlResult { args: string[] }

/** A readable account of a call, for assertion messages. */
export function explain(server: TestServer, r: CliRun): string {
  return `lcctl ${r.args.map((a) => (/[\s'"$]/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n` +
    `exit ${r.code}\n--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}--- lanternd log (tail) ---\n${server.logs.slice(-3000)}`;
}

/** lcctl against one TestServer, with assertions that say what went wrong. */
export class Cli {
  constructor(readonly server: TestServer) {}

  /** Run lcctl; never throws. */
  async run(args: string[], input?: string, env?: Record<string, string>): Promise<CliRun> {
    const r = await this.server.lcctl(args, input, env);
    return { ...r, args };
  }

  /** Run lcctl and assert its exit status. */
  async expect(code: number, args: string[], input?: string): Promise<CliRun> {
    const r = await this.run(args, input);
    assert.equal(r.code, code, `expected exit ${code}\n${explain(this.server, r)}`);
    return r;
  }

  /** Run lcctl, assert success, return stdout. */
  async ok(args: string[], input?: string): Promise<string> {
    return (await this.expect(0, args, input)).stdout;
  }

  /** Import the sample busybox image through `lcctl image import`. */
  async importBusybox(): Promise<void> {
    const out = await this.ok(['image', 'import', busyboxArchive(), 'busybox:latest']);
    assert.match(out, /Loaded image: busybox:latest/);
  }
}

/** A long-running lcctl (logs -f, exec -i) whose output can be watched while it runs. */
export interface Streaming { stdout(): string; stderr(): string; done: Promise<LcctlResult>; kill(signal?: NodeJS.Signals): void }

/** Start lcctl without waiting for it; stdin stays open until `input` is given to end(). */
export function spawnLcctl(server: TestServer, args: string[]): Streaming & { end(input?: string): void } {
  const child = spawn(lcctlBin, args, { env: { ...process.env, LANTERN_CONFIG: server.configFile, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const done = new Promise<LcctlResult>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout: out, stderr: err })));
  return {
    stdout: () => out,
    stderr: () => err,
    done,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => { if (child.exitCode === null && child.signalCode === null) child.kill(signal); },
    end: (input?: string) => { child.stdin.end(input ?? ''); },
  };
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/**
 * A host port nobody listens on and no NAT rule forwards (CNI portmap publishes with iptables, not
 * sockets, so other lanternd servers on this machine would not show up as listeners).
 */
export async function freeHostPort(): Promise<number> {
  const rules = spawnSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' }).stdout ?? '';
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    if (new RegExp(`--dport ${port}\\b`).test(rules)) continue;
    if (await canListen(port, '127.0.0.1') && await canListen(port, '0.0.0.0')) return port;
  }
  throw new Error('no free host port found');
}

/** The line of a `ps`-style table whose last column is NAME (undefined when absent). */
export function rowNamed(table: string, name: string): string | undefined {
  return table.split('\n').slice(1).find((l) => l.trimEnd().split(/\s+/).at(-1) === name);
}
