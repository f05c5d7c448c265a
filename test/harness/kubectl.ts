/**
 * The real kubectl against a TestServer (HTTPS: kubectl sends a token only over HTTPS), with the
 * kubeconfig the server writes and a private HOME and discovery cache per test file.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestServer } from './lanternd.js';

/** What one kubectl run printed, and its exit code. */
export interface KubectlRun { code: number; stdout: string; stderr: string }

/** kubectl for one test file. */
export class Kubectl {
  /** Its HOME (kubectl's cache lives below it; tests may write files here). */
  readonly home: string;

  constructor(private readonly server: TestServer, prefix = 'lantern-kubectl-', private readonly timeoutMs = 120_000) {
    this.home = mkdtempSync(path.join(tmpdir(), prefix));
  }

  /** Run kubectl (with another kubeconfig, or input on its standard input, when given). */
  run(args: string[], opts: { kubeconfig?: string; input?: string } = {}): Promise<KubectlRun> {
    const kubeconfig = opts.kubeconfig ?? path.join(this.server.dataDir, 'kubeconfig.yaml');
    return new Promise((resolve) => {
      const child = execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(this.home, 'cache'), ...args], { env: { ...process.env, HOME: this.home }, timeout: this.timeoutMs }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
        resolve({ code, stdout, stderr });
      });
      child.stdin?.end(opts.input ?? '');
    });
  }

  /** Run kubectl and expect exit 0; answers its standard output. */
  async ok(args: string[]): Promise<string> {
    const r = await this.run(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /** `kubectl ... -o json`, parsed. */
  async json<T>(args: string[]): Promise<T> {
    return JSON.parse(await this.ok([...args, '-o', 'json'])) as T;
  }

  /** Remove its HOME. */
  cleanup(): void { rmSync(this.home, { recursive: true, force: true }); }
}
