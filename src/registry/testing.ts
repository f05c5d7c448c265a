// Test-only: a real HTTP server around the registry handler, with fixed tokens per role.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openRegistry, type RegistryCaller } from './handler.js';

/** Tokens the test server knows, by role. */
export const tokens: Record<string, RegistryCaller> = {
  admin: { name: 'admin', role: 'admin' },
  node: { name: 'system:node:n1', role: 'node' },
  join: { name: 'node-join-token', role: 'join' },
};

/** sha256 digest text of some bytes. */
export const sha = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A registry served over HTTP on 127.0.0.1 from a data dir that outlives restart(). */
export class TestRegistry {
  url = '';
  private server: http.Server | undefined;
  private constructor(readonly dir: string) {}

  static async start(): Promise<TestRegistry> {
    const r = new TestRegistry(await mkdtemp(path.join(tmpdir(), 'lantern-registry-')));
    await r.listen();
    return r;
  }

  private async listen(): Promise<void> {
    const handle = await openRegistry(path.join(this.dir, 'registry'));
    this.server = http.createServer((req, res) => {
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      void handle(req, res, token === undefined ? undefined : tokens[token]);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }

  /** Close the server and open a fresh handler over the same directory (as a daemon restart). */
  async restart(): Promise<void> {
    await this.close();
    await this.listen();
  }

  private async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }

  /** A request as `role` (admin by default); `path` may be a Location header (relative). */
  fetch(p: string, init: RequestInit & { role?: string } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const role = init.role ?? 'admin';
    if (role !== 'none') headers.set('authorization', `Bearer ${role}`);
    return fetch(new URL(p, this.url), { ...init, headers });
  }

  /** Push a blob with one POST ?digest= and return its digest. */
  async pushBlob(name: string, data: Buffer | string): Promise<string> {
    const d = sha(data);
    const r = await this.fetch(`/v2/${name}/blobs/uploads/?digest=${d}`, { method: 'POST', body: typeof data === 'string' ? data : new Uint8Array(data) });
    if (r.status !== 201) throw new Error(`push blob: ${r.status} ${await r.text()}`);
    return d;
  }

  async stop(): Promise<void> {
    await this.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The first error code of a spec error body. */
export async function errorCode(r: Response): Promise<string | undefined> {
  const body = await r.json() as { errors?: { code?: string }[] };
  return body.errors?.[0]?.code;
}
