/**
 * Test harness: a real `lanternd server --no-agent` (API, SQLite store, scheduler) from the lanternd
 * harness (test/harness/lanternd.ts), the test kit's fake node "n1" as its only node, and a runner for
 * the built lcctl. Everything talks over HTTP, as lcctl does; node services (logs, exec, stats,
 * images) need a real agent and are left to the end-to-end tests.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { HttpClient } from '../../client/http-client.js';
import { startFakeNodes, type FakeBehavior, type FakeNodes } from '../../testing/fake-node.js';
import { TestServer } from '../../../test/harness/lanternd.js';

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

/** The node as lcctl's tests know it: n1, 2 cpu, 8Gi, address 192.0.2.10, no node info (VERSION <unknown>). */
function scriptedNode(name: string): Node {
  const res = { cpu: '2', memory: '8Gi', pods: '110' };
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {}, status: { capacity: res, allocatable: res, addresses: [{ type: 'InternalIP', address: '192.0.2.10' }] },
  };
}

/**
 * lcctl's tests speak Docker: a container whose command is `exit N` exits with N at once (30 ms), and
 * the image "missing" cannot be pulled. Anything else runs until stopped, as the fake node does.
 */
function dockerish(pod: Pod, node: string): FakeBehavior | undefined {
  const c = pod.spec.containers[0];
  if (c?.image === 'missing') return { exitCode: 0, startError: { reason: 'ErrImagePull', message: `image "missing" is not present on node ${node}` } };
  const args = [...(c?.command ?? []), ...(c?.args ?? [])];
  return args[0] === 'exit' ? { runForMs: 30, exitCode: Number(args[1] ?? 0) } : undefined;
}

/** Start a cluster in a fresh temp dir; close() stops everything and removes the dir. */
export async function startCluster(): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'lcctl-test-'));
  const server = new TestServer(['--no-agent']);
  let nodes: FakeNodes | undefined;
  const close = async (): Promise<void> => {
    nodes?.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await server.start();
    const api = new HttpClient({ server: server.url, token: server.token });
    nodes = await startFakeNodes({
      api, count: 1, nameOf: () => 'n1', nodeObject: scriptedNode, podIPs: () => ({ allocate: () => '10.0.0.9' }), behaviorOf: dockerish,
    });
    const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, LANTERN_SERVER: server.url, LANTERN_TOKEN: server.token, NO_COLOR: '1' };
    return {
      url: server.url, token: server.token, api, dir, close,
      lcctl: (args, opts = {}) => runLcctl(args, { ...baseEnv, ...opts.env }, opts.stdin),
    };
  } catch (e) {
    await close();
    throw e;
  }
}
