/**
 * A real NFS server for tests: nfs-ganesha (user-space; these kernels have no nfsd) exporting a temp
 * dir over NFSv3/v4 on ports of its own, so tests in parallel do not collide. rpcbind is started when
 * it is not running (ganesha registers with it; clients here skip it with nfsport/mountport).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

/** A free TCP port on all addresses (ganesha binds 0.0.0.0 so netns hosts reach it through their bridge). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '0.0.0.0', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function rpcbindRunning(): boolean {
  return spawnSync('pgrep', ['-x', 'rpcbind']).status === 0;
}

/** One ganesha server exporting `exportDir`; start() then stop() (idempotent). */
export class NfsServer {
  readonly dir = mkdtempSync(join(tmpdir(), 's2-nfs-'));
  /** The exported directory (also the export path clients mount). */
  readonly exportDir = join(this.dir, 'export');
  nfsPort = 0;
  mountPort = 0;
  private pidFile = join(this.dir, 'ganesha.pid');
  private pid = 0;

  /** Mount options that reach this server without the portmapper (as the kernel client's port=/mountport=). */
  get mountOptions(): string[] { return ['nfsvers=3', `port=${this.nfsPort}`, `mountport=${this.mountPort}`]; }

  /** Starts ganesha and waits until it serves (a probe through the portless URL). */
  async start(): Promise<void> {
    mkdirSync(this.exportDir, { recursive: true });
    if (!rpcbindRunning()) spawnSync('rpcbind', ['-w']);
    if (this.nfsPort === 0) {
      this.nfsPort = await freePort();
      this.mountPort = await freePort();
    }
    const conf = join(this.dir, 'ganesha.conf');
    writeFileSync(conf, `NFS_CORE_PARAM {
  NFS_Port = ${this.nfsPort};
  MNT_Port = ${this.mountPort};
  Enable_NLM = false;
  Enable_RQUOTA = false;
  Protocols = 3, 4;
  Bind_addr = 0.0.0.0;
}
NFSV4 { Graceless = true; }
NFS_KRB5 { Active_krb5 = false; }
EXPORT {
  Export_Id = 1;
  Path = ${this.exportDir};
  Pseudo = ${this.exportDir};
  Access_Type = RW;
  Squash = No_Root_Squash;
  SecType = sys;
  Protocols = 3, 4;
  Transports = TCP;
  FSAL { Name = VFS; }
}
`);
    // A fresh log each start: readiness is read from it.
    writeFileSync(join(this.dir, 'ganesha.log'), '');
    rmSync(this.pidFile, { force: true });
    const r = spawnSync('ganesha.nfsd', ['-f', conf, '-L', join(this.dir, 'ganesha.log'), '-p', this.pidFile, '-N', 'NIV_EVENT'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ganesha.nfsd failed (${r.status}): ${r.stderr}`);
    for (let i = 0; i < 100; i++) {
      if (existsSync(this.pidFile)) {
        this.pid = Number(readFileSync(this.pidFile, 'utf8').trim());
        if (this.pid > 0 && this.log().includes('NFS SERVER INITIALIZED')) return;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`ganesha did not start: ${this.log().slice(-2000)}`);
  }

  /** The server's log (for failure messages). */
  log(): string {
    try { return readFileSync(join(this.dir, 'ganesha.log'), 'utf8'); } catch { return ''; }
  }

  /** Stops ganesha (the server disappears for clients); start() again brings it back on the same ports. */
  async stop(): Promise<void> {
    if (this.pid <= 0) return;
    const pid = this.pid;
    this.pid = 0;
    try { process.kill(pid, 'SIGTERM'); } catch { return; }
    for (let i = 0; i < 100; i++) {
      try { process.kill(pid, 0); } catch { return; }
      await new Promise((res) => setTimeout(res, 100));
    }
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }

  /** Stops the server and removes its files. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
