/**
 * Three `lanternd server` on embedded etcd (--cluster-init, then --server URL --token T) on loopback
 * ports from `base`, for the embedded-HA end-to-end tests; stop() also ends members a test left behind.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './lanternd.js';
import { allProcesses } from './proc-scan.js';

/** The etcd processes run for a server's data dir (found by their command line). */
export const etcdOf = (s: TestServer): number[] => [...allProcesses().values()].filter((p) => p.cmd.startsWith('etcd') && p.cmd.includes(path.join(s.dataDir, 'etcd'))).map((p) => p.pid);

const killAll = (pids: number[]): void => { for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } } };

/** SIGKILL a server and its etcd member: gone as a dead machine is. */
export async function killForGood(s: TestServer): Promise<void> {
  await s.process?.kill9();
  killAll(etcdOf(s));
}

/** Three servers forming one etcd cluster; each uses two ports from base (client, peer). */
export class EmbeddedCluster {
  readonly servers: TestServer[] = [];

  constructor(private readonly base: number) {}

  private etcdFlags(i: number): string[] { return ['--etcd-client-port', String(this.base + 2 * i), '--etcd-peer-port', String(this.base + 2 * i + 1)]; }

  /** Start the first with --cluster-init, then join the other two with its server token. */
  async start(): Promise<void> {
    const first = new TestServer(['--no-agent', '--cluster-init', ...this.etcdFlags(0)], { https: true });
    this.servers.push(first);
    await first.start();
    const token = readFileSync(path.join(first.dataDir, 'server-token'), 'utf8').trim();
    for (const i of [1, 2]) {
      const s = new TestServer(['--no-agent', '--server', first.url, '--token', token, ...this.etcdFlags(i)], { https: true });
      this.servers.push(s);
      await s.start();
    }
  }

  /** Stop every server, last first; a server that was killed leaves its member running: end it here. */
  async stop(): Promise<void> {
    for (const s of [...this.servers].reverse()) {
      const left = etcdOf(s);
      await s.stop();
      killAll([...left, ...etcdOf(s)]);
    }
  }
}
