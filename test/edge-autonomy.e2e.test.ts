/**
 * Edge autonomy (issue 16 item 5) across real processes: a `lanternd server` on a bridge and two
 * `lanternd agent`s, each in its own network namespace. h3-auto is annotated lantern.dev/autonomy=true
 * by the admin; h3-plain is not. Their links are cut for longer than the eviction timeout: both keep
 * their containers running, only h3-plain's pod is marked NodeLost; a pod deleted meanwhile is stopped
 * on reconnect and a status reached meanwhile is sent. Then h3-auto "reboots" with the server out of
 * reach (agent and every container killed, pod network namespaces removed) and brings its pod back,
 * with its ConfigMap and Secret, from its own record.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { freeHostPort } from './harness/cli.js';
import { NetnsHosts, sh } from './harness/netns-hosts.js';
import { getPod, type PodView } from './harness/pods.js';
import { RemoteAgent } from './harness/remote-agent.js';

interface NodeView { metadata: { annotations?: Record<string, string> }; spec?: { taints?: { key: string; timeAdded?: string }[] }; status?: { conditions?: { type: string; status: string }[] } }

const AUTONOMY = 'lantern.dev/autonomy';
const UNREACHABLE = 'node.lantern.dev/unreachable';
const EVICTION_MS = 4000;

describe('edge autonomy: cut-off nodes keep their pods, an autonomous one is not evicted, a reboot offline brings pods back', { timeout: 420_000 }, () => {
  const net = new NetnsHosts(2);
  const [hAuto, hPlain] = net.hosts as [typeof net.hosts[0], typeof net.hosts[0]];
  let server: TestServer | undefined;
  let auto: RemoteAgent | undefined;
  let plain: RemoteAgent | undefined;
  const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
  const logs = (): string => `\n--- h3-auto ---\n${auto?.log.slice(-3000) ?? ''}\n--- h3-plain ---\n${plain?.log.slice(-1500) ?? ''}`;

  const runcRoot = (a: RemoteAgent): string => path.join(a.dataDir, 'containers/runc');
  const runc = (a: RemoteAgent, args: string[]): ReturnType<typeof spawnSync> => spawnSync('runc', ['--root', runcRoot(a), ...args], { encoding: 'utf8' });
  const runcState = (a: RemoteAgent, id: string): string => {
    const r = runc(a, ['state', id]);
    return r.status === 0 ? (JSON.parse(String(r.stdout)) as { status: string }).status : 'gone';
  };
  const runningIds = (a: RemoteAgent): string[] => {
    const r = runc(a, ['list', '--format', 'json']);
    const list = (JSON.parse(String(r.stdout || 'null')) ?? []) as { id: string; status: string }[];
    return list.filter((c) => c.status === 'running').map((c) => c.id);
  };
  const idOf = (p: PodView | undefined): string => (p?.status?.containerStatuses?.[0]?.containerID ?? '').replace(/^lantern:\/\//, '');
  const node = async (name: string): Promise<NodeView> => (await srv().api<NodeView>('GET', `/api/v1/nodes/${name}`)).body;
  const ready = async (name: string): Promise<string | undefined> => (await node(name)).status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const running = (name: string): Promise<PodView> => srv().until(() => `pod ${name} Running${logs()}`, async () => {
    const p = await getPod(srv(), name);
    return p?.status?.phase === 'Running' && idOf(p) !== '' ? p : undefined;
  }, 90_000);

  async function createPod(name: string, nodeName: string, container: Record<string, unknown>, spec: Record<string, unknown> = {}): Promise<void> {
    const r = await srv().api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { nodeSelector: { 'kubernetes.io/hostname': nodeName }, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'Never', ...container }], ...spec },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }

  before(async () => {
    net.create();
    const port = await freeHostPort();
    server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${port}`, '--tls-san', net.gateway,
      '--node-monitor-grace', '3s', '--pod-eviction-timeout', `${EVICTION_MS / 1000}s`], { https: true });
    await server.start();
    // Not waiting for Ready inside start(): after the offline reboot it cannot come until the link is back.
    auto = new RemoteAgent(server, 'h3-auto', { prefix: net.enter(hAuto), bridge: `la${net.id}1`, args: ['--heartbeat-interval', '1s'], waitReady: false });
    plain = new RemoteAgent(server, 'h3-plain', { prefix: net.enter(hPlain), bridge: `la${net.id}2`, args: ['--heartbeat-interval', '1s'] });
    await Promise.all([auto.start(), plain.start()]);
    await server.until(() => `h3-auto Ready${logs()}`, async () => (await ready('h3-auto')) === 'True', 60_000);
  });

  after(async () => {
    net.setLink(hAuto, true);
    net.setLink(hPlain, true);
    const pods = await server?.api<{ items: { metadata: { name: string }; spec: { nodeName?: string } }[] }>('GET', '/api/v1/namespaces/default/pods').catch(() => undefined);
    const on = (n: string): string[] => (pods?.body.items ?? []).filter((p) => p.spec.nodeName === n).map((p) => p.metadata.name);
    await Promise.all([auto?.remove(...on('h3-auto')), plain?.remove(...on('h3-plain'))]);
    net.destroy();
    await server?.stop();
    assert.deepEqual(net.leftovers(), [], 'the test left network namespaces or links behind');
  });

  test('only an admin marks a node autonomous; the node itself may not', async () => {
    // As the node (its own credential): Forbidden, naming the annotation.
    // Read again on a 409: the node's own heartbeat may write between the read and the write.
    const self = await srv().until('the node\'s own write answered', async () => {
      const mine = await srv().api<NodeView & Record<string, unknown>>('GET', '/api/v1/nodes/h3-plain', undefined, plain!.credential());
      const r = await srv().api<{ message: string }>('PUT', '/api/v1/nodes/h3-plain', { ...mine.body, metadata: { ...mine.body.metadata, annotations: { ...mine.body.metadata.annotations, [AUTONOMY]: 'true' } } }, plain!.credential());
      return r.status === 409 ? undefined : r;
    }, 20_000);
    assert.equal(self.status, 403, JSON.stringify(self.body));
    assert.match(self.body.message, /lantern\.dev\/autonomy: node autonomy is set by an admin/);
    // As the admin (retried: heartbeats race the write).
    await srv().until('h3-auto annotated', async () => {
      const n = await srv().api<NodeView & Record<string, unknown>>('GET', '/api/v1/nodes/h3-auto');
      const r = await srv().api('PUT', '/api/v1/nodes/h3-auto', { ...n.body, metadata: { ...n.body.metadata, annotations: { ...n.body.metadata.annotations, [AUTONOMY]: 'true' } } });
      return r.status === 200;
    }, 20_000);
    assert.equal((await node('h3-auto')).metadata.annotations?.[AUTONOMY], 'true');
  });

  let keepId = '';
  let goneId = '';
  let plainId = '';

  test('cut off past the eviction timeout: both nodes keep running; only the plain node\'s pod is NodeLost', async () => {
    assert.equal((await srv().api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'h3-cfg' }, data: { MODE: 'edge' } })).status, 201);
    assert.equal((await srv().api('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'h3-sec' }, data: { PASS: Buffer.from('s3cret-h3').toString('base64') } })).status, 201);
    await createPod('keep', 'h3-auto', { command: ['sleep', '3600'], envFrom: [{ configMapRef: { name: 'h3-cfg' } }, { secretRef: { name: 'h3-sec' } }] });
    await createPod('gone', 'h3-auto', { command: ['sleep', '3600'] });
    await createPod('plain', 'h3-plain', { command: ['sleep', '3600'] });
    keepId = idOf(await running('keep'));
    goneId = idOf(await running('gone'));
    plainId = idOf(await running('plain'));
    // Finishes while the node is cut off: its Succeeded can only reach the server later.
    await createPod('oneshot', 'h3-auto', { command: ['sleep', '6'] }, { restartPolicy: 'Never' });
    const oneshotId = idOf(await running('oneshot'));

    net.setLink(hAuto, false);
    net.setLink(hPlain, false);
    const evicted = await srv().until(() => `pod plain evicted${logs()}`, async () => {
      const p = await getPod(srv(), 'plain');
      return p?.status?.phase === 'Failed' ? p : undefined;
    }, 60_000);
    assert.equal((evicted.status as { reason?: string }).reason, 'NodeLost');
    // The autonomous node is lost and tainted too, and its taint is older than the eviction timeout.
    const taint = await srv().until('h3-auto unreachable taint', async () => (await node('h3-auto')).spec?.taints?.find((t) => t.key === UNREACHABLE), 30_000);
    await srv().until('eviction timeout passed for h3-auto', async () => Date.now() > Date.parse(taint.timeAdded ?? '') + EVICTION_MS + 3000, 30_000);
    assert.equal(await ready('h3-auto'), 'Unknown');
    const keep = await getPod(srv(), 'keep');
    assert.equal(keep?.status?.phase, 'Running', 'an autonomous node\'s pod is not evicted');
    assert.notEqual((keep?.status as { reason?: string }).reason, 'NodeLost');

    // Nobody stops anything on a cut-off node: all three still run there.
    assert.equal(runcState(auto!, keepId), 'running');
    assert.equal(runcState(auto!, goneId), 'running');
    assert.equal(runcState(plain!, plainId), 'running');
    // The one-shot ended on the node; the server cannot have heard of it.
    await srv().until('oneshot exited on the node', async () => runcState(auto!, oneshotId) === 'stopped', 30_000);
    assert.notEqual((await getPod(srv(), 'oneshot'))?.status?.phase, 'Succeeded');
    // Deleted while the node is cut off (forced: the object goes at once).
    assert.equal((await srv().api('DELETE', '/api/v1/namespaces/default/pods/gone?gracePeriodSeconds=0')).status, 200);
  });

  test('on reconnect: the queued status is sent, the pod deleted meanwhile is stopped, nothing runs twice', async () => {
    net.setLink(hAuto, true);
    net.setLink(hPlain, true);
    await srv().until(() => `h3-auto Ready again${logs()}`, async () => (await ready('h3-auto')) === 'True', 60_000);
    const done = await srv().until(() => `oneshot Succeeded${logs()}`, async () => {
      const p = await getPod(srv(), 'oneshot');
      return p?.status?.phase === 'Succeeded' ? p : undefined;
    }, 60_000);
    assert.equal(done.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 0);
    await srv().until(() => `deleted pod's container stopped${logs()}`, async () => runcState(auto!, goneId) !== 'running', 30_000);
    await srv().until(() => `evicted plain pod stopped${logs()}`, async () => runcState(plain!, plainId) !== 'running', 30_000);
    const keep = await getPod(srv(), 'keep');
    assert.equal(keep?.status?.phase, 'Running');
    assert.equal(idOf(keep), keepId, 'the same container goes on: it was never started twice');
    assert.deepEqual(runningIds(auto!), [keepId]);
  });

  test('a reboot with the server unreachable brings the pod back from the node\'s own record', async () => {
    const a = auto!;
    net.setLink(hAuto, false);
    await a.kill9();
    // Every container it ran dies, and the pod network namespaces go, as after a power cut.
    for (const id of runningIds(a)) runc(a, ['kill', id, 'KILL']);
    await srv().until('containers dead', async () => runningIds(a).length === 0, 30_000);
    const prefix = `lt${createHash('sha256').update(a.dataDir).digest('hex').slice(0, 6)}-`;
    const podNetns = (): string[] => sh('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(prefix));
    assert.ok(podNetns().length > 0, 'the pod had a network namespace');
    for (const ns of podNetns()) sh('ip', ['netns', 'delete', ns]);

    await a.start();
    await srv().until(() => `pod keep running again on the node${logs()}`, async () => runningIds(a).length === 1, 90_000);
    const [id] = runningIds(a);
    assert.notEqual(id, keepId);
    assert.ok(podNetns().length > 0, 'its network namespace was made again from the kept pod range');
    // Its ConfigMap and Secret came from the record (the Secret sealed on disk).
    const pid = (JSON.parse(String(runc(a, ['state', id!]).stdout)) as { pid: number }).pid;
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    assert.ok(env.includes('MODE=edge') && env.includes('PASS=s3cret-h3'), env.join(' '));
    const secretsDir = path.join(a.dataDir, 'offline/secrets');
    for (const f of readdirSync(secretsDir)) {
      const raw = readFileSync(path.join(secretsDir, f));
      assert.ok(!raw.includes('s3cret-h3') && !raw.includes(Buffer.from('s3cret-h3').toString('base64')), `${f} holds the secret in clear`);
    }
    assert.match(a.log, /cannot be reached/);

    net.setLink(hAuto, true);
    await srv().until(() => `h3-auto Ready after the reboot${logs()}`, async () => (await ready('h3-auto')) === 'True', 60_000);
    const keep = await srv().until(() => `keep reports its new container${logs()}`, async () => {
      const p = await getPod(srv(), 'keep');
      return idOf(p) === id && p?.status?.phase === 'Running' ? p : undefined;
    }, 60_000);
    assert.ok((keep.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
    assert.deepEqual(runningIds(a), [id], 'still one container for the pod');
  });
});
