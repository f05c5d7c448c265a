/**
 * A node in a box for the proxy's tests and benchmark, all in network namespaces of its own (nothing
 * on the host changes): a "node" namespace with a pod bridge, N "pod" namespaces behind it each
 * running a socat server that answers its own name, and an "outside" machine for NodePort traffic.
 *
 *   outside (192.168.77.2) ══ ext0 (192.168.77.1) [node: nft table, pbr0 10.77.0.1/24] ══ pod N (10.77.0.1N)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Run a command, throwing with its output when it fails. */
function sh(args: string[]): string {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Who answered one connect, or the error code (ECONNREFUSED...); ms: until the connection was established. */
export interface ConnectResult { reply?: string; error?: string; ms: number }

// Connects `count` times to host:port (one at a time), reads the first line, prints JSON results.
const probe = `
const net = require('node:net');
const [host, port, count] = process.argv.slice(1);
const out = [];
const one = () => new Promise((done) => {
  const t0 = process.hrtime.bigint();
  const s = net.connect({ host, port: Number(port) });
  let buf = '';
  let ms;
  s.on('connect', () => { ms = Number(process.hrtime.bigint() - t0) / 1e6; });
  const end = (r) => { s.destroy(); out.push({ ...r, ms: ms ?? Number(process.hrtime.bigint() - t0) / 1e6 }); done(); };
  s.setTimeout(3000, () => end({ error: 'ETIMEDOUT' }));
  s.on('data', (b) => { buf += b; if (buf.includes('\\n')) end({ reply: buf.trim() }); });
  s.on('end', () => end({ reply: buf.trim() }));
  s.on('error', (e) => end({ error: e.code }));
});
(async () => { for (let i = 0; i < Number(count); i++) await one(); console.log(JSON.stringify(out)); })();
`;

/** The namespaces, their addresses, and the servers in the pods. */
export class ProxyLab {
  readonly id = randomBytes(2).toString('hex');
  readonly node = `n3px-${this.id}-node`;
  readonly outside = `n3px-${this.id}-ext`;
  readonly nodeAddress = '192.168.77.1';
  readonly bridge = 'pbr0';
  readonly pods: { netns: string; ip: string; name: string }[];
  private readonly servers: ChildProcess[] = [];

  constructor(podCount: number, readonly podPort = 8080) {
    this.pods = Array.from({ length: podCount }, (_, i) => ({ netns: `n3px-${this.id}-p${i + 1}`, ip: `10.77.0.${11 + i}`, name: `pod${i + 1}` }));
  }

  /** nft in the node namespace (for NftSyncer's `command`). */
  get nftCommand(): string[] { return ['ip', 'netns', 'exec', this.node, 'nft']; }

  /** Build it all; on failure remove what was made and rethrow. */
  create(): void {
    try {
      sh(['ip', 'netns', 'add', this.node]);
      sh(['ip', 'netns', 'add', this.outside]);
      const inNode = (...a: string[]) => sh(['ip', 'netns', 'exec', this.node, ...a]);
      inNode('ip', 'link', 'set', 'lo', 'up');
      inNode('sysctl', '-qw', 'net.ipv4.ip_forward=1');
      inNode('ip', 'link', 'add', this.bridge, 'type', 'bridge');
      inNode('ip', 'addr', 'add', '10.77.0.1/24', 'dev', this.bridge);
      inNode('ip', 'link', 'set', this.bridge, 'up');
      // Replies from a pod to a pod on the same bridge must pass conntrack to be un-DNATed.
      inNode('sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=1');
      inNode('ip', 'link', 'add', 'ext0', 'type', 'veth', 'peer', 'name', 'out0', 'netns', this.outside);
      inNode('ip', 'addr', 'add', `${this.nodeAddress}/24`, 'dev', 'ext0');
      inNode('ip', 'link', 'set', 'ext0', 'up');
      // A default route, as every node has: the ClusterIP range is routed nowhere but must not be unreachable.
      inNode('ip', 'route', 'add', 'default', 'via', '192.168.77.2');
      const inOut = (...a: string[]) => sh(['ip', 'netns', 'exec', this.outside, ...a]);
      inOut('ip', 'link', 'set', 'lo', 'up');
      inOut('ip', 'addr', 'add', '192.168.77.2/24', 'dev', 'out0');
      inOut('ip', 'link', 'set', 'out0', 'up');
      inOut('ip', 'route', 'add', 'default', 'via', this.nodeAddress);
      this.pods.forEach((p, i) => {
        sh(['ip', 'netns', 'add', p.netns]);
        inNode('ip', 'link', 'add', `vp${i + 1}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p.netns);
        inNode('ip', 'link', 'set', `vp${i + 1}`, 'master', this.bridge, 'up');
        // As the CNI bridge plugin's hairpinMode: a pod's packet DNATed back to itself leaves by the port it came in.
        inNode('bridge', 'link', 'set', 'dev', `vp${i + 1}`, 'hairpin', 'on');
        const inPod = (...a: string[]) => sh(['ip', 'netns', 'exec', p.netns, ...a]);
        inPod('ip', 'link', 'set', 'lo', 'up');
        inPod('ip', 'addr', 'add', `${p.ip}/24`, 'dev', 'eth0');
        inPod('ip', 'link', 'set', 'eth0', 'up');
        inPod('ip', 'route', 'add', 'default', 'via', '10.77.0.1');
        const server = spawn('ip', ['netns', 'exec', p.netns, 'socat', `TCP-LISTEN:${this.podPort},fork,reuseaddr`, `SYSTEM:echo ${p.name}`], { stdio: 'ignore' });
        this.servers.push(server);
      });
    } catch (e) {
      this.destroy();
      throw e;
    }
  }

  /** `count` connects to host:port from inside `netns`, one after another. */
  connect(netns: string, host: string, port: number, count: number): ConnectResult[] {
    const r = spawnSync('ip', ['netns', 'exec', netns, process.execPath, '-e', probe, host, String(port), String(count)], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`probe in ${netns} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as ConnectResult[];
  }

  /** Wait until every pod's server accepts connections (straight to its IP, from the node). */
  async waitServers(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (this.pods.every((p) => this.connect(this.node, p.ip, this.podPort, 1)[0]?.reply === p.name)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the pod servers did not start');
  }

  /** Kill the servers and delete the namespaces (idempotent). */
  destroy(): void {
    for (const s of this.servers.splice(0)) s.kill('SIGKILL');
    for (const ns of [...this.pods.map((p) => p.netns), this.outside, this.node]) spawnSync('ip', ['netns', 'del', ns]);
  }

  /** Namespaces of this lab still present. */
  leftovers(): string[] {
    return sh(['ip', 'netns', 'list']).split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(`n3px-${this.id}`));
  }
}
