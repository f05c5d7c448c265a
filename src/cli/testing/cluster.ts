/**
 * Test harness: a real `lanternd server --no-agent` (API, SQLite store, scheduler) in a temp dir on a
 * random port, a ScriptedAgent as its only node, and a runner for the built lcctl. Everything talks
 * over HTTP, as lcctl does; node services (logs, exec, stats, images) need a real agent and are
 * left to the end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpClient } from '../../client/http-client.js';
import { parseConfigText } from '../config.js';
import { ScriptedAgent } from './scripted-agent.js';

/** What one lcctl invocation produced. */
export interface CliResult { code: number | null; stdout: string; stderr: string }

/** A running test cluster. */
export interface Cluster {
  url: string;
  token: string;
  api: HttpClient;
  dir: string;
  /** Run lcctl with the cluster's server and token in the environment. */
  lcctl(args: string[], opts?: { stdin?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  close(): Promise<void>;
}

const mainJs = fileURLToPath(new URL('../main.js', import.meta.url));
const daemonJs = fileURLToPath(new URL('../../daemon/main.js', import.meta.url));

/** Run the built lcctl with an environment of our choosing. */
export function runLcctl(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--', mainJs, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Start lanternd and wait for its "serving the API" line. */
function startServer(dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [daemonJs, 'server', '--no-agent', '--data-dir', join(dir, 'data'), '--listen', '127.0.0.1:0', '--insecure-http'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`lanternd did not start:\n${out}`)); }, 20_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /serving the API on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1]! }); }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`lanternd exited with ${code}:\n${out}`)); });
  });
}

/** Start a cluster in a fresh temp dir; close() stops everything and removes the dir. */
export async function startCluster(): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'lcctl-test-'));
  let proc: ChildProcess | undefined;
  let agent: ScriptedAgent | undefined;
  const close = async (): Promise<void> => {
    agent?.stop();
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc!.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const started = await startServer(dir);
    proc = started.proc;
    const cfg = parseConfigText(await readFile(join(dir, 'data', 'admin.yaml'), 'utf8'));
    const token = cfg.token ?? '';
    const api = new HttpClient({ server: started.url, token });
    agent = new ScriptedAgent(api);
    await agent.start();
    const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, LANTERN_SERVER: started.url, LANTERN_TOKEN: token, NO_COLOR: '1' };
    return {
      url: started.url, token, api, dir, close,
      lcctl: (args, opts = {}) => runLcctl(args, { ...baseEnv, ...opts.env }, opts.stdin),
    };
  } catch (e) {
    await close();
    throw e;
  }
}
