/**
 * Test harness: the real API server (SQLite store, ApiService, HTTP adapter) on a random port with a
 * ScriptedAgent as its only node, and a runner for the built lcctl as a child process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import type { ApiObject } from '../../api/meta.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { ApiService } from '../../server/api-service.js';
import { NodeRegistry } from '../../server/node-registry.js';
import { TokenAuthenticator } from '../../server/http/auth.js';
import { createApiServer } from '../../server/http/server.js';
import { ScriptedAgent } from './scripted-agent.js';

/** What one lcctl invocation produced. */
export interface CliResult { code: number | null; stdout: string; stderr: string }

/** A running test cluster. */
export interface Cluster {
  url: string;
  token: string;
  api: ApiService;
  agent: ScriptedAgent;
  dir: string;
  /** Run lcctl with the cluster's server and token in the environment. */
  lcctl(args: string[], opts?: { stdin?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  close(): Promise<void>;
}

const mainJs = fileURLToPath(new URL('../main.js', import.meta.url));

/** Run the built lcctl with an environment of our choosing. */
export function runLcctl(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Start a cluster in a fresh temp dir. */
export async function startCluster(): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'lcctl-test-'));
  let store: SqliteStore | undefined;
  let server: Server | undefined;
  let agent: ScriptedAgent | undefined;
  const close = async (): Promise<void> => {
    agent?.stop();
    if (server) { server.closeAllConnections(); await new Promise<void>((r) => server!.close(() => r())); }
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    store = await openSqliteStore(join(dir, 'state.db'));
    const api = new ApiService(store);
    const nodes = new NodeRegistry();
    agent = new ScriptedAgent(api);
    nodes.register(agent.node, agent);
    await api.create('nodes', {
      apiVersion: 'v1', kind: 'Node', metadata: { name: agent.node, labels: { 'kubernetes.io/hostname': agent.node } },
      status: { capacity: { cpu: '2', memory: '8Gi' }, conditions: [{ type: 'Ready', status: 'True', reason: 'AgentReady' }], addresses: [{ type: 'InternalIP', address: '192.0.2.10' }] },
    } as ApiObject);
    agent.start();
    const auth = new TokenAuthenticator();
    const token = 'test-admin-token';
    auth.add(token, { name: 'admin', role: 'admin' });
    server = createApiServer({ api, nodes, auth, version: '9.9.9-test' });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, LANTERN_SERVER: url, LANTERN_TOKEN: token, NO_COLOR: '1' };
    const a = agent;
    return {
      url, token, api, agent: a, dir, close,
      lcctl: (args, opts = {}) => runLcctl(args, { ...baseEnv, ...opts.env }, opts.stdin),
    };
  } catch (e) {
    await close();
    throw e;
  }
}
