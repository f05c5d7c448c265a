// The reference registry (Debian's docker-registry, distribution 2.8) on a loopback port, with htpasswd auth,
// and a proxy in front of it that can drop a blob download midway.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../../src/testing/eventually.js';
import { freeHostPort } from './cli.js';

/** A running docker-registry; `host` is "localhost:PORT". */
export class TestRegistry {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'lantern-registry-'));
  proc: ChildProcess | undefined;
  host = '';
  private output = '';
  constructor(readonly user: string, readonly password: string) {}

  get basic(): string { return `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`; }
  get logs(): string { return this.output; }

  async start(): Promise<void> {
    const port = await freeHostPort();
    const hp = spawnSync('htpasswd', ['-Bbn', this.user, this.password], { encoding: 'utf8' });
    if (hp.status !== 0) throw new Error(`htpasswd failed: ${hp.stderr}`);
    writeFileSync(path.join(this.dir, 'htpasswd'), hp.stdout);
    writeFileSync(path.join(this.dir, 'config.yml'), [
      'version: 0.1', 'log: {level: warn}',
      `storage: {filesystem: {rootdirectory: ${path.join(this.dir, 'data')}}, delete: {enabled: true}}`,
      `http: {addr: "127.0.0.1:${port}"}`,
      `auth: {htpasswd: {realm: lantern-test, path: ${path.join(this.dir, 'htpasswd')}}}`, '',
    ].join('\n'));
    this.proc = spawn('docker-registry', ['serve', path.join(this.dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.proc.stderr!.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.host = `localhost:${port}`;
    const proc = this.proc;
    await eventually(() => `docker-registry to start:\n${this.output}`, async () => (await fetch(`http://${this.host}/v2/`).then((r) => r.status, () => 0)) === 401,
      { timeoutMs: 20_000, abort: () => (proc.exitCode === null ? undefined : `docker-registry exited with ${proc.exitCode}`) });
  }

  /** Uploads a blob (POST + monolithic PUT); returns its descriptor. */
  async putBlob(repo: string, bytes: Buffer, mediaType: string): Promise<{ mediaType: string; digest: string; size: number }> {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const start = await fetch(`http://${this.host}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: { authorization: this.basic } });
    if (start.status !== 202) throw new Error(`upload start: ${start.status} ${await start.text()}`);
    const url = new URL(start.headers.get('location')!, `http://${this.host}`);
    url.searchParams.set('digest', digest);
    const put = await fetch(url, { method: 'PUT', headers: { authorization: this.basic, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
    if (put.status !== 201) throw new Error(`upload: ${put.status} ${await put.text()}`);
    return { mediaType, digest, size: bytes.length };
  }

  /** PUTs a manifest or index by tag; returns its descriptor. */
  async putManifest(repo: string, tag: string, doc: unknown, mediaType: string): Promise<{ mediaType: string; digest: string; size: number }> {
    const bytes = Buffer.from(JSON.stringify(doc));
    const res = await fetch(`http://${this.host}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { authorization: this.basic, 'content-type': mediaType }, body: new Uint8Array(bytes) });
    if (res.status !== 201) throw new Error(`manifest: ${res.status} ${await res.text()}`);
    return { mediaType, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
  }

  /** Uploads the single-platform image of an OCI archive (the busybox sample) as REPO:TAG, blobs and manifest as they are. */
  async putArchive(archive: string, repo: string, tag: string): Promise<string> {
    const read = (member: string): Buffer => execFileSync('tar', ['-xOf', archive, member], { maxBuffer: 1 << 28 });
    const index = JSON.parse(read('index.json').toString()) as { manifests: { digest: string; mediaType: string }[] };
    const top = index.manifests[0]!;
    const manifest = read(`blobs/sha256/${top.digest.slice(7)}`);
    const doc = JSON.parse(manifest.toString()) as { config: { digest: string }; layers: { digest: string }[] };
    for (const d of [doc.config, ...doc.layers]) await this.putBlob(repo, read(`blobs/sha256/${d.digest.slice(7)}`), '');
    const res = await fetch(`http://${this.host}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { authorization: this.basic, 'content-type': top.mediaType }, body: new Uint8Array(manifest) });
    if (res.status !== 201) throw new Error(`manifest: ${res.status} ${await res.text()}`);
    return top.digest;
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One request the proxy forwarded. */
export interface ProxiedRequest { method: string; path: string; range?: string }

/** A proxy to a registry that records requests and drops the next download of a chosen blob after N bytes. */
export class DroppingProxy {
  readonly seen: ProxiedRequest[] = [];
  host = '';
  drop: { digest: string; after: number } | undefined;
  /** Requests for this blob wait until release() (a registry that hangs). */
  hold: string | undefined;
  private held: (() => void)[] = [];
  /** An Authorization header to add to requests that carry none (an authenticating proxy, for anonymous pod pulls). */
  injectAuth: string | undefined;
  private server: Server | undefined;
  constructor(public target: string) {}

  async start(): Promise<void> {
    const [thost, tport] = this.target.split(':') as [string, string];
    this.server = createServer((req, res) => {
      this.seen.push({ method: req.method ?? '', path: req.url ?? '', range: req.headers.range });
      if (this.hold && req.method === 'GET' && req.url?.endsWith(`/blobs/${this.hold}`)) {
        this.held.push(() => this.forward(req, res, thost, tport));
        return;
      }
      this.forward(req, res, thost, tport);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.host = `localhost:${(this.server.address() as AddressInfo).port}`;
  }

  /** Lets held requests through (and stops holding). */
  release(): void {
    this.hold = undefined;
    for (const go of this.held.splice(0)) go();
  }

  private forward(req: IncomingMessage, res: ServerResponse, thost: string, tport: string): void {
    const drop = this.drop && req.method === 'GET' && req.url?.endsWith(`/blobs/${this.drop.digest}`) ? this.drop : undefined;
    if (drop) this.drop = undefined;
    const headers = { ...req.headers };
    if (this.injectAuth && !headers.authorization) headers.authorization = this.injectAuth;
    const up = request({ host: thost === 'localhost' ? '127.0.0.1' : thost, port: Number(tport), method: req.method, path: req.url, headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      if (!drop) { ur.pipe(res); return; }
      let sent = 0;
      ur.on('data', (chunk: Buffer) => {
        if (sent >= drop.after) return;
        const part = chunk.subarray(0, drop.after - sent);
        sent += part.length;
        res.write(part);
        if (sent >= drop.after) { ur.destroy(); setTimeout(() => res.destroy(), 100); }
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}
