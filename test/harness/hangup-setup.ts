/**
 * The cluster pieces the hang-up test sets up: its pods, its build context, requests and metrics it
 * reads, and a poll that waits for things to settle.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { eventually } from '../../src/testing/eventually.js';
import type { TestServer } from './lanternd.js';

/** The parts of a Pod the hang-up test reads. */
export interface PodView { status?: { phase?: string; containerStatuses?: { name: string; containerID?: string }[] } }

/** A pod with the hang-up test's three containers, pinned to a node. */
export function hangPod(name: string, node: string): unknown {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: {
      nodeSelector: { 'kubernetes.io/hostname': node },
      containers: [
        { name: 'ticker', image: 'busybox', command: ['sh', '-c', 'while true; do echo tick; sleep 0.2; done'] },
        { name: 'echo', image: 'busybox', command: ['nc', '-ll', '-p', '8080', '-e', 'cat'] },
        // Exec goes here: one steady process, so any other one in it afterwards was left behind.
        { name: 'idle', image: 'busybox', command: ['sleep', '3600'] },
      ],
    },
  };
}

/** The build context: a Dockerfile whose RUN step is cached after the first build, and a file to copy. */
export function buildContext(dir: string): Buffer {
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox\nCOPY a.txt /a.txt\nRUN wc -c /a.txt\n');
  writeFileSync(path.join(dir, 'a.txt'), randomBytes(96 * 1024).toString('base64'));
  const r = spawnSync('tar', ['-cf', '-', '-C', dir, 'Dockerfile', 'a.txt'], { maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** The sum of a metric's series in Prometheus text. */
export function metric(text: string, name: string): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

/** A request with the admin token: status, body and Location (fetch can be given no CA). */
export function request(server: TestServer, method: string, p: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = (server.url.startsWith('https:') ? https : http).request(server.url + p, { method, ca: server.ca, headers: { authorization: `Bearer ${server.token}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Poll until ok() holds (or the time is up: the assertions that follow then say what is wrong). */
export async function settle(ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  await eventually('the daemons to settle', ok, { timeoutMs, intervalMs: 250 }).catch(() => undefined);
}
