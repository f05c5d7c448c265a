/**
 * The Ansible playbook (issue 16 item 7) run for real with Debian's ansible-playbook against two
 * "machines" that are network namespaces of this host (local connection; the role runs the daemons
 * through nsenter and, with no systemd for them, in the background): a first server started with
 * --cluster-init and an agent joined to it with the labels of its inventory entry. Then the upgrade
 * playbook restarts the server and then the agent as the next version (the test aid
 * LANTERN_VERSION_OVERRIDE stands in for a new release), and the node comes back Ready.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eventually } from '../src/testing/eventually.js';
import { runLcctl } from '../src/cli/testing/cluster.js';
import { NetnsHosts } from './harness/netns-hosts.js';
import { repoRoot } from './harness/lanternd-process.js';
import { sweepHost } from './harness/host-sweep.js';

const playbooks = path.join(repoRoot, 'deploy/ansible');
const dir = mkdtempSync(path.join(tmpdir(), 'h4-ansible-'));
const serverDir = path.join(dir, 'server');
const agentRoot = path.join(dir, 'agent-root');
const agentDir = path.join(agentRoot, 'agent');
const bridge = `h4b${randomBytes(2).toString('hex')}`;
const net = new NetnsHosts(2);

interface NodeJson { metadata: { labels?: Record<string, string> }; status?: { conditions?: { type: string; status: string }[]; nodeInfo?: { kubeletVersion?: string } } }

/** Run ansible-playbook in deploy/ansible; resolves with its exit code and output. */
function playbook(file: string, extra: string[] = []): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, HOME: dir, ANSIBLE_CONFIG: path.join(playbooks, 'ansible.cfg'), ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'), ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' };
    const p = spawn('ansible-playbook', ['-i', path.join(dir, 'inventory.yml'), file, ...extra], { cwd: playbooks, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('close', (code) => resolve({ code, out }));
  });
}

const lcctl = (args: string[]) =>
  runLcctl(args, { PATH: process.env.PATH, HOME: dir, LANTERN_CONFIG: path.join(serverDir, 'admin.yaml') });
const node = async (): Promise<NodeJson | undefined> => {
  const r = await lcctl(['get', 'node', 'h4-edge', '-o', 'json']);
  return r.code === 0 ? JSON.parse(r.stdout) as NodeJson : undefined;
};
const logs = (): string => [serverDir, agentDir].map((d) => { try { return `--- ${d}/lanternd.log\n${readFileSync(path.join(d, 'lanternd.log'), 'utf8').slice(-3000)}`; } catch { return ''; } }).join('\n');
const ready = (n: NodeJson | undefined): boolean => n?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

/** Stop a daemon the playbook started in the background (its pid file), as the role's upgrade does. */
async function stopDaemon(dataDir: string): Promise<void> {
  const file = path.join(dataDir, 'lanternd.pid');
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1) return;
  const alive = (): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  await eventually('the daemon to stop', () => !alive(), { timeoutMs: 15_000 }).catch(() => { if (alive()) process.kill(pid, 'SIGKILL'); });
}

before(() => {
  net.create();
  mkdirSync(path.join(dir, 'tmp'));
  const [s, a] = net.hosts;
  const inventory = {
    all: {
      vars: {
        ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3',
        lantern_source_dir: repoRoot, lantern_run_setup: false, lantern_service_manager: 'none',
        lantern_prefix: path.join(dir, 'opt'), lantern_server_data_dir: serverDir, lantern_agent_data_dir: agentDir,
        lantern_ready_retries: 30, lantern_ready_delay: 1,
      },
      children: {
        lantern_servers: { hosts: { 'h4-server': { lantern_netns: s!.netns, lantern_advertise_address: s!.address, lantern_listen: `${s!.address}:6443`, lantern_server_args: ['--no-agent'] } } },
        lantern_agents: { hosts: { 'h4-edge': { lantern_netns: a!.netns, lantern_node_labels: { zone: 'h4-north', 'lantern.dev/autonomy': 'true' }, lantern_agent_args: ['--bridge', bridge, '--heartbeat-interval', '2s'] } } },
      },
    },
  };
  // JSON is YAML: the inventory file is the object as written.
  writeFileSync(path.join(dir, 'inventory.yml'), JSON.stringify(inventory, null, 2));
});

after(async () => {
  await stopDaemon(agentDir);
  await stopDaemon(serverDir);
  sweepHost(agentRoot, bridge);
  net.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('ansible-playbook deploys a --cluster-init server and a labelled agent in two namespaces, then upgrades servers before agents', async () => {
  const deploy = await playbook('lantern-cluster-deploy.yml');
  assert.equal(deploy.code, 0, deploy.out.slice(-6000) + logs());
  const joined = await eventually('the node to be Ready', async () => { const n = await node(); return ready(n) ? n : undefined; }, { timeoutMs: 60_000 });
  assert.equal(joined.metadata.labels?.zone, 'h4-north', 'labels from the inventory');
  assert.equal(joined.metadata.labels?.['lantern.dev/autonomy'], 'true');
  assert.equal(joined.status?.nodeInfo?.kubeletVersion, 'lantern/0.1.0');
  assert.ok(existsSync(path.join(serverDir, 'etcd')), 'the first server runs an embedded etcd member (--cluster-init)');

  // Run again: nothing is restarted or rewritten.
  const again = await playbook('lantern-cluster-deploy.yml');
  assert.equal(again.code, 0, again.out.slice(-6000) + logs());
  assert.match(again.out, /h4-server\s+: ok=\d+\s+changed=0 /);
  assert.match(again.out, /h4-edge\s+: ok=\d+\s+changed=0 /);

  const upgrade = await playbook('lantern-cluster-upgrade.yml', ['-e', JSON.stringify({ lantern_env: { LANTERN_VERSION_OVERRIDE: '0.2.0' }, lantern_expected_version: '0.2.0' })]);
  assert.equal(upgrade.code, 0, upgrade.out.slice(-6000) + logs());
  // Servers first, then agents: the order the version skew policy needs.
  assert.ok(upgrade.out.indexOf('PLAY [Upgrade the servers') < upgrade.out.indexOf('PLAY [Upgrade the agents'), upgrade.out);
  // The upgrade playbook itself waited for the restarted agent's node to be Ready again.
  const upgraded = await eventually('the node to be Ready after the upgrade', async () => { const n = await node(); return ready(n) ? n : undefined; }, { timeoutMs: 60_000 });
  assert.match(readFileSync(path.join(agentDir, 'lanternd.log'), 'utf8'), /joined https:\/\/10\.240\.\d+\.11:6443/);
  assert.equal(upgraded.metadata.labels?.zone, 'h4-north');
  const v = await lcctl(['version']);
  assert.match(v.stdout, /Server Version: 0\.2\.0/);
});
