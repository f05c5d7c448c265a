/**
 * The remote-agent harness: a real `lanternd agent` joined to a TestServer, with its own data dir,
 * pod bridge (its pod range comes from the server), on this host or (prefix) inside a network namespace of NetnsHosts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openImageStore } from '../../src/image/index.js';
import { busyboxArchive, sweepHost, type TestServer } from './lanternd.js';
import { LanterndProcess } from './lanternd-process.js';
import { waitNodeReady } from './remote-nodes.js';

/** How the agent is started; every field has a default that suits an agent on this host. */
export interface RemoteAgentOptions {
  /** More `lanternd agent` flags, e.g. ['--labels', 'zone=a', '--heartbeat-interval', '1s']. */
  args?: string[];
  /** Import busybox into its image store before the first start (default true); false: it starts with no images. */
  busybox?: boolean;
  /** How it authenticates (default: --token with the server's join token, read at each start). */
  tokenArgs?: () => string[];
  /** argv that runs it elsewhere, e.g. NetnsHosts.enter(host) for its own network namespace. */
  prefix?: string[];
  /** Its pod bridge (default: a fresh one); its pod range is the podCIDR the server gives its Node. */
  bridge?: string;
  /** start() waits until its node is Ready (default true). */
  waitReady?: boolean;
}

/**
 * A `lanternd agent` process joined to a TestServer, with its own data dir (busybox imported unless
 * told not to) and bridge; its pod range comes from the server. It can be killed with SIGKILL and started again over the same
 * data dir, as a crashed node would come back; remove() leaves nothing behind on the host.
 */
export class RemoteAgent {
  /** The agent's data dir is ROOT/agent, the layout sweepHost expects. */
  readonly root = mkdtempSync(path.join(tmpdir(), 'lantern-e2e-agent-'));
  readonly dataDir = path.join(this.root, 'agent');
  readonly bridge: string;
  /** The current (or last) agent process; undefined before the first start. */
  process: LanterndProcess | undefined;
  private output = '';

  constructor(private readonly server: TestServer, readonly name: string, private readonly opts: RemoteAgentOptions = {}) {
    this.bridge = opts.bridge ?? `lt${randomBytes(3).toString('hex')}`;
  }

  /** The server's cluster CIDR, which its pod range (Node spec.podCIDR) is cut from. */
  get subnet(): string { return this.server.subnet; }

  /** Everything every start of it printed. */
  get log(): string { return this.output + (this.process?.log ?? ''); }
  get running(): boolean { return this.process?.running ?? false; }

  /** Start the agent (importing busybox the first time) and, unless told not to, wait until its node is Ready. */
  async start(): Promise<void> {
    if (this.process === undefined && this.opts.busybox !== false) await (await openImageStore(path.join(this.dataDir, 'images'))).importArchive(busyboxArchive());
    this.output += this.process?.log ?? '';
    const token = this.opts.tokenArgs?.() ?? ['--token', this.server.joinToken];
    this.process = new LanterndProcess(['agent', '--server', this.server.url, ...token, '--data-dir', this.dataDir,
      '--bridge', this.bridge, '--node-name', this.name, ...(this.opts.args ?? [])], { prefix: this.opts.prefix });
    if (this.opts.waitReady !== false) await waitNodeReady(this.server, this.name, () => this.log);
  }

  /** SIGKILL the agent process only: its containers (under conmon) go on running. */
  async kill9(): Promise<void> { await this.process?.kill9(); }

  /** SIGTERM the agent (SIGKILL after 5 s); its containers go on running. */
  async stop(): Promise<void> { await this.process?.stop(); }

  /** The node credential it was issued at join (DATA_DIR/node-credential). */
  credential(): string { return readFileSync(path.join(this.dataDir, 'node-credential'), 'utf8').trim(); }

  /**
   * Delete the named pods (grace 0) and wait until they are gone, so the agent removes their
   * containers and CNI rules; stop the agent; and remove everything it made on this host.
   */
  async remove(...pods: string[]): Promise<void> {
    if (this.running) {
      for (const pod of pods) {
        await this.server.api('DELETE', `/api/v1/namespaces/default/pods/${pod}?gracePeriodSeconds=0`).catch(() => undefined);
        await this.server.until(`pod ${pod} removed`, async () => (await this.server.api('GET', `/api/v1/namespaces/default/pods/${pod}`)).status === 404, 20_000).catch(() => undefined);
      }
    }
    await this.stop();
    sweepHost(this.root, this.bridge);
    rmSync(this.root, { recursive: true, force: true });
  }
}
