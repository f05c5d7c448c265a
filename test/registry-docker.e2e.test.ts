import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';

/**
 * A private dockerd (own data root, exec root, pid file and socket; no bridge, no iptables), so the
 * test neither needs nor disturbs a Docker the machine may run.
 */
class PrivateDocker {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'lantern-dockerd-'));
  readonly sock = path.join(this.dir, 'docker.sock');
  private proc: ChildProcess | undefined;
  private log = '';

  async start(): Promise<void> {
    this.proc = spawn('dockerd', ['--data-root', path.join(this.dir, 'data'), '--exec-root', path.join(this.dir, 'exec'), '--pidfile', path.join(this.dir, 'dockerd.pid'),
      '-H', `unix://${this.sock}`, '--bridge=none', '--iptables=false', '--ip6tables=false'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => { this.log += d.toString(); });
    this.proc.stderr!.on('data', (d: Buffer) => { this.log += d.toString(); });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`dockerd exited:\n${this.log.slice(-3000)}`);
      if (this.cli(['info', '--format', '{{.ServerVersion}}']).code === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`dockerd did not answer:\n${this.log.slice(-3000)}`);
  }

  /** Run Debian's docker client against this daemon, with its own client config dir. */
  cli(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
    const r = spawnSync('/usr/bin/docker', ['-H', `unix://${this.sock}`, ...args], { encoding: 'utf8', input, timeout: 120_000, env: { ...process.env, DOCKER_CONFIG: path.join(this.dir, 'client') } });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  must(args: string[], input?: string): string {
    const r = this.cli(args, input);
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
    return r.stdout + r.stderr;
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null && p.signalCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('the built-in registry with docker push and pull', () => {
  const server = new TestServer(['--no-agent']);
  const docker = new PrivateDocker();
  let registry = '';
  before(async () => {
    await server.start();
    await docker.start();
    registry = server.url.replace(/^http:\/\/127\.0\.0\.1/, 'localhost');
    docker.must(['load', '-i', busyboxArchive()]);
  });
  after(async () => { await docker.stop(); await server.stop(); });

  test('docker login takes the admin token as a password; a wrong one is refused', () => {
    const bad = docker.cli(['login', '-u', 'x', '--password-stdin', registry], 'wrong-token\n');
    assert.notEqual(bad.code, 0);
    assert.match(docker.must(['login', '-u', 'x', '--password-stdin', registry], `${server.token}\n`), /Login Succeeded/);
  });

  test('an image pushed with docker push pulls back with the same digest, and a second repository mounts its layers', async () => {
    const ref = `${registry}/library/busybox:1`;
    docker.must(['tag', 'busybox:latest', ref]);
    const pushed = docker.must(['push', ref]);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
    assert.ok(digest, pushed);
    const head = await fetch(`${server.url}/v2/library/busybox/manifests/1`, { method: 'HEAD', headers: { authorization: `Bearer ${server.token}` } });
    assert.equal(head.headers.get('docker-content-digest'), digest);
    docker.must(['rmi', ref, 'busybox:latest']);
    docker.must(['pull', ref]);
    assert.equal(docker.must(['image', 'inspect', '--format', '{{index .RepoDigests 0}}', ref]).trim(), `${registry}/library/busybox@${digest}`);
    const other = `${registry}/team/app/x:2`;
    docker.must(['tag', ref, other]);
    assert.match(docker.must(['push', other]), /Mounted from library\/busybox/);
  });
});
