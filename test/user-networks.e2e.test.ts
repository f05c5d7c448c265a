/**
 * User-defined bridge networks through lcctl on a real lanternd: Docker's verbs (network create, ls,
 * inspect, rm, connect, disconnect), `run --network NAME [--ip]`, isolation between two networks and
 * from the default pod network (both ways) while the default network and published ports keep
 * working, and a host left clean. Network names carry this run's tag: bridges are named from them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli, explain, freeHostPort } from './harness/cli.js';
import { getPod, waitContainer } from './harness/pods.js';
import { bridgeNameOf } from '../src/network/user/conflist.js';
import { ISOLATION_CHAIN, removeBridge } from '../src/network/user/host-links.js';

const tag = randomBytes(3).toString('hex');
const FRONT = `n8f${tag}`;
const BACK = `n8b${tag}`;
// Two /24s of their own per test process (10.77-78.x: outside TestServer's 10.200+ and the 172.x defaults).
const x = process.pid % 250;
const FRONT_SUBNET = `10.77.${x}.0/24`;
const BACK_SUBNET = `10.78.${x}.0/24`;
const FIXED_IP = `10.77.${x}.50`;

const sh = (cmd: string, args: string[]): string => spawnSync(cmd, args, { encoding: 'utf8' }).stdout ?? '';
const linkExists = (name: string): boolean => spawnSync('ip', ['link', 'show', 'dev', name]).status === 0;
const isolationRules = (): string => sh('iptables', ['-w', '-S', ISOLATION_CHAIN]);
/** The pod namespaces of this server's node (daemon/node-components.ts names them lt<hash of DATA_DIR/agent>-). */
const podNetnses = (server: TestServer): string[] => {
  const prefix = `lt${createHash('sha256').update(path.join(path.resolve(server.dataDir), 'agent')).digest('hex').slice(0, 6)}-`;
  return sh('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(prefix));
};

describe('lcctl network: user-defined bridge networks', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const web = 'httpd -f -p 8080 -h /www';
  const serve = `mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && ${web}`;
  let hostPort = 0;

  before(async () => { await server.start(); await cli.importBusybox(); hostPort = await freeHostPort(); });
  after(async () => {
    await cli.run(['rm', '-f', 'web', 'client', 'other', 'dflt', 'dweb', 'a']);
    await server.stop();
    // Whatever a failed test left of the networks' bridges and rules.
    for (const n of [FRONT, BACK]) await removeBridge(bridgeNameOf(n));
  });

  const podIP = async (name: string): Promise<string> => {
    const pod = await waitContainer(server, name, 'running with an IP', (cs, p) => cs.state.running !== undefined && p.status?.podIP !== undefined);
    return pod.status!.podIP!;
  };
  /** Whether `from` gets the page of the httpd at ip:port within 3 s (busybox wget's own -T crashes here). */
  const fetches = async (from: string, ip: string, port = 8080): Promise<boolean> =>
    (await cli.run(['exec', from, 'timeout', '3', 'wget', '-q', '-O', '-', `http://${ip}:${port}/`])).stdout.includes('hello from');
  /** A positive check waits for the httpd to listen; negative ones follow one, so a "no" means dropped, not "not up yet". */
  const reaches = (from: string, ip: string, port = 8080): Promise<boolean> =>
    server.until(`${from} gets the page at ${ip}:${port}`, () => fetches(from, ip, port));

  test('network create makes bridge networks that ls and inspect show', async () => {
    const id = await cli.ok(['network', 'create', '--subnet', FRONT_SUBNET, FRONT]);
    assert.match(id, /^[0-9a-f]{32}\n$/, 'prints the network ID');
    await cli.ok(['network', 'create', '--driver', 'bridge', '--subnet', BACK_SUBNET, BACK]);
    const taken = await cli.run(['network', 'create', '--subnet', FRONT_SUBNET, FRONT]);
    assert.notEqual(taken.code, 0, explain(server, taken));
    assert.match(taken.stderr, new RegExp(`network with name ${FRONT} already exists`));
    const overlap = await cli.run(['network', 'create', '--subnet', `10.77.${x}.128/25`, `${FRONT}x`]);
    assert.notEqual(overlap.code, 0, explain(server, overlap));
    assert.match(overlap.stderr, new RegExp(FRONT), `the overlap names the network it collides with\n${overlap.stderr}`);

    const ls = await cli.ok(['network', 'ls']);
    assert.match(ls, /^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/m);
    assert.match(ls, new RegExp(`^${id.slice(0, 12)}\\s+${FRONT}\\s+bridge\\s+cluster$`, 'm'));
    assert.match(ls, new RegExp(`\\s${BACK}\\s+bridge\\s`));
    assert.deepEqual((await cli.ok(['network', 'ls', '-q'])).split('\n').filter((n) => n === FRONT || n === BACK).sort(), [BACK, FRONT].sort());

    const [view] = JSON.parse(await cli.ok(['network', 'inspect', FRONT])) as Array<{ Name: string; Driver: string; IPAM: { Config: Array<{ Subnet: string; Gateway: string }> }; Containers: object }>;
    assert.equal(view?.Name, FRONT);
    assert.equal(view?.Driver, 'bridge');
    assert.deepEqual(view?.IPAM.Config, [{ Subnet: FRONT_SUBNET, Gateway: `10.77.${x}.1` }]);
    assert.deepEqual(view?.Containers, {});
    const missing = await cli.run(['network', 'inspect', `${FRONT}-nope`]);
    assert.notEqual(missing.code, 0, explain(server, missing));
  });

  test('containers on one network reach each other; --ip is honoured; another network cannot reach them', async () => {
    await cli.ok(['run', '-d', '--name', 'web', '--network', FRONT, 'busybox', 'sh', '-c', serve]);
    await cli.ok(['run', '-d', '--name', 'client', '--network', FRONT, '--ip', FIXED_IP, 'busybox', 'sleep', '600']);
    await cli.ok(['run', '-d', '--name', 'other', '--network', BACK, 'busybox', 'sh', '-c', serve]);
    const webIP = await podIP('web');
    assert.ok(webIP.startsWith(`10.77.${x}.`), `web's address ${webIP} is on ${FRONT_SUBNET}`);
    assert.equal(await podIP('client'), FIXED_IP, 'the pod IP is the --ip asked for');
    assert.equal((await cli.ok(['inspect', '-f', '{{.status.podIP}}', 'client'])).trim(), FIXED_IP, 'inspect shows the --ip');
    const otherIP = await podIP('other');
    assert.ok(otherIP.startsWith(`10.78.${x}.`), `other's address ${otherIP} is on ${BACK_SUBNET}`);

    assert.equal(await reaches('client', webIP), true, 'same network: client reaches web');
    assert.equal(await reaches('other', otherIP), true, 'other serves on its own network');
    assert.equal(await fetches('other', webIP), false, `${BACK} cannot reach ${FRONT}`);
    assert.equal(await fetches('client', otherIP), false, `${FRONT} cannot reach ${BACK}`);

    const [view] = JSON.parse(await cli.ok(['network', 'inspect', FRONT])) as Array<{ Containers: Record<string, { Name: string; IPv4Address: string }> }>;
    const members = Object.values(view?.Containers ?? {}).map((c) => `${c.Name} ${c.IPv4Address}`).sort();
    assert.deepEqual(members, [`default/client ${FIXED_IP}/24`, `default/web ${webIP}/24`]);
  });

  test('containers on one network find each other by name and --network-alias (Docker\'s embedded DNS); another network does not', async (t) => {
    await cli.ok(['run', '-d', '--name', 'a', '--network', FRONT, '--network-alias', 'site', 'busybox', 'sh', '-c', serve]);
    t.after(() => cli.run(['rm', '-f', 'a']));
    const aIP = await podIP('a');
    await podIP('client');
    const conf = await cli.ok(['exec', 'client', 'cat', '/etc/resolv.conf']);
    assert.match(conf, new RegExp(`nameserver 10\\.77\\.${x}\\.1\\b`), `the node DNS on ${FRONT}'s gateway (a host address):\n${conf}`);
    assert.equal(await reaches('client', 'site'), true, 'client reaches a by its alias');
    assert.equal(await reaches('client', 'a'), true, 'and by its name');
    // busybox ping resolves through the C library (the pod's search path, then the bare name) and prints the address.
    const ping = async (from: string, name: string): Promise<string> => {
      const r = await cli.run(['exec', from, 'sh', '-c', `ping -c1 -W1 ${name} 2>&1 | head -1`]);
      return r.stdout + r.stderr;
    };
    assert.match(await ping('client', 'site'), new RegExp(`\\(${aIP.replaceAll('.', '\\.')}\\)`), 'site resolves to a\'s address');
    assert.match(await ping('client', 'a'), new RegExp(`\\(${aIP.replaceAll('.', '\\.')}\\)`), 'a resolves to its address');
    // other sits on BACK: the names of FRONT are not its to resolve (and its address is not theirs to reach).
    for (const name of ['site', 'a']) {
      const theirs = await ping('other', name);
      assert.doesNotMatch(theirs, new RegExp(aIP.replaceAll('.', '\\.')), `${BACK} must not resolve ${FRONT}'s ${name}:\n${theirs}`);
      assert.match(theirs, /bad address/, `${BACK} gets no address for ${name}:\n${theirs}`);
    }
    assert.equal(await fetches('other', 'site'), false);
  });

  test('the default pod network and user networks cannot reach each other; the default network and published ports still work', async () => {
    await cli.ok(['run', '-d', '--name', 'dflt', 'busybox', 'sleep', '600']);
    await cli.ok(['run', '-d', '--name', 'dweb', '-p', `${hostPort}:8080`, 'busybox', 'sh', '-c', serve]);
    await podIP('dflt');
    const dwebIP = await podIP('dweb');
    const webIP = await podIP('web');
    assert.equal(await reaches('dflt', dwebIP), true, 'pods on the default network still reach each other');
    assert.equal(await fetches('dflt', webIP), false, 'a default-network pod cannot reach a user network');
    assert.equal(await fetches('client', dwebIP), false, 'a user-network pod cannot reach a default-network pod by its IP');
    // As under Docker, a published port is reachable through the host from any network (the gateway is a host address).
    assert.equal(await reaches('client', `10.77.${x}.1`, hostPort), true, 'a user-network pod reaches a published port through the host');
  });

  test('network connect adds a container to a second network; disconnect takes it off', async () => {
    const otherIP = await podIP('other');
    await cli.ok(['network', 'connect', BACK, 'client']);
    await reaches('client', otherIP);
    const again = await cli.run(['network', 'connect', BACK, 'client']);
    assert.notEqual(again.code, 0, explain(server, again));
    assert.match(again.stderr, /already exists in network/);
    const [view] = JSON.parse(await cli.ok(['network', 'inspect', BACK])) as Array<{ Containers: Record<string, { Name: string; Interface: string }> }>;
    assert.deepEqual(Object.values(view?.Containers ?? {}).map((c) => `${c.Name} ${c.Interface}`).sort(), ['default/client net1', 'default/other eth0']);

    await cli.ok(['network', 'disconnect', BACK, 'client']);
    await server.until(`client loses ${BACK}`, async () => !(await fetches('client', otherIP)));
    const primary = await cli.run(['network', 'disconnect', FRONT, 'client']);
    assert.notEqual(primary.code, 0, explain(server, primary));
    assert.match(primary.stderr, /primary network/);
  });

  test('network rm is refused while a container uses the network, and works once it is gone', async () => {
    const busy = await cli.run(['network', 'rm', FRONT]);
    assert.notEqual(busy.code, 0, explain(server, busy));
    assert.match(busy.stderr, new RegExp(`network ${FRONT} has active endpoints \\(.*client.*\\)`));
    // The server refuses too, whoever asks (lcctl delete, a script, a race with lcctl's own check).
    const direct = await server.api<{ message?: string }>('DELETE', `/apis/lantern.dev/v1/networks/${FRONT}`);
    assert.equal(direct.status, 409, JSON.stringify(direct.body));
    assert.match(direct.body.message ?? '', new RegExp(`network ${FRONT} has active endpoints \\(.*default/client.*\\)`));
    assert.equal((await server.api('GET', `/apis/lantern.dev/v1/networks/${FRONT}`)).status, 200, 'the network is still there');

    await cli.ok(['rm', '-f', 'web', 'client']);
    await server.until('web and client are gone', async () => (await getPod(server, 'web')) === undefined && (await getPod(server, 'client')) === undefined);
    assert.equal(await cli.ok(['network', 'rm', FRONT]), `${FRONT}\n`);
    assert.equal((await server.api('GET', `/apis/lantern.dev/v1/networks/${FRONT}`)).status, 404);
    assert.doesNotMatch(await cli.ok(['network', 'ls', '-q']), new RegExp(`^${FRONT}$`, 'm'));
  });

  test('nothing of the networks is left on the host once their containers and the networks are gone', async () => {
    await cli.ok(['rm', '-f', 'other', 'dflt', 'dweb']);
    await server.until('every pod is gone', async () =>
      (await server.api<{ items: unknown[] }>('GET', '/api/v1/namespaces/default/pods')).body.items.length === 0);
    await cli.ok(['network', 'rm', BACK]);
    const bridges = [FRONT, BACK].map(bridgeNameOf);
    await server.until('the user bridges, their rules and the pod namespaces are gone', async () =>
      bridges.every((b) => !linkExists(b)) && podNetnses(server).length === 0);
    const rules = isolationRules();
    for (const b of bridges) assert.doesNotMatch(rules, new RegExp(b), `${ISOLATION_CHAIN} still names ${b}:\n${rules}`);
    const records = path.join(server.dataDir, 'agent/user-networks/pods');
    assert.deepEqual(existsSync(records) ? readdirSync(records) : [], [], 'no attachment records left');
  });
});
