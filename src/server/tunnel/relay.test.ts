import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import type { NodeServices, PodExecSession } from '../../api/node-services.js';
import { createApiServer } from '../http/server.js';
import { TokenAuthenticator } from '../http/auth.js';
import { NodeRegistry } from '../node-registry.js';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { eventually } from '../../testing/eventually.js';
import { PeerServers, identifyPeer } from './peer-servers.js';
import { RelayDialer } from './relay.js';

const ADMIN = 'h3-relay-admin';
const NODE = 'h3-relay-node';
const JOIN = 'h3-relay-join';
const unused = (): never => { throw new Error('not used by this test'); };
const read = async (s: Readable): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString();
};

/** The node "edge-h3": logs name the pod; exec echoes its command and exits 7. */
const edge: NodeServices = {
  podLogs: async (_ns, pod) => Readable.from([`${pod} says hello\n`]),
  podExec: async (_ns, _pod, opts): Promise<PodExecSession> => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.end(opts.command.join(' '));
    stderr.end();
    return { stdout, stderr, exit: Promise.resolve(7), resize: () => undefined, kill: () => undefined };
  },
  podAttach: unused, podPortForward: unused, listImages: unused, importImage: unused, removeImage: unused, pullImage: unused, pushImage: unused, tagImage: unused,
  podStats: async () => [{ container: 'c', cpuUsageNanos: 1, memoryUsageBytes: 2, memoryWorkingSetBytes: 2, pids: 1, timestamp: 0 }],
};

/** One server of the cluster: its HTTP server, node registry, peer record and relays, over the shared store. */
interface Server { http: http.Server; url: string; nodes: NodeRegistry; peers: PeerServers; relays: RelayDialer }

let t: TestApi;
const servers: Server[] = [];

async function startServer(): Promise<Server> {
  const auth = new TokenAuthenticator((token) => identifyPeer(t.store, token));
  auth.add(ADMIN, { name: 'admin', role: 'admin' });
  auth.add(NODE, { name: 'system:node:edge-h3', role: 'node' });
  auth.add(JOIN, { name: 'node-join-token', role: 'join' });
  const nodes = new NodeRegistry();
  const server = createApiServer({ api: t.api, nodes, auth, version: 'test' });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const peers = new PeerServers(t.store, url, () => undefined);
  await peers.start();
  const relays = new RelayDialer(peers, undefined);
  nodes.onTunnel((node, up) => { void (up ? peers.tunnelUp(node) : peers.tunnelDown(node)); });
  nodes.reachElsewhere((node) => relays.servicesFor(node));
  const s = { http: server, url, nodes, peers, relays };
  servers.push(s);
  return s;
}

/** The status line an upgrade to the relay route gets with TOKEN. */
function relayStatus(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/apis/lantern.dev/v1/nodes/edge-h3/relay`, { headers: { authorization: `Bearer ${token}`, connection: 'Upgrade', upgrade: 'lantern-tunnel' } });
    req.on('upgrade', (_res, socket) => { socket.destroy(); resolve(101); });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
}

let a: Server;
let b: Server;
let dropTunnel: () => void;

before(async () => {
  t = await openTestApi({ prefix: 'lantern-h3-relay-' });
  a = await startServer();
  b = await startServer();
  // The node's tunnel is on A (as serve-tunnel.ts registers it).
  dropTunnel = a.nodes.register('edge-h3', edge, { from: 'test', since: new Date(), ping: async () => true, close: () => undefined });
  await eventually('B learns that A holds edge-h3\'s tunnel', () => b.peers.holder('edge-h3')?.url === a.url);
});
after(async () => {
  for (const s of servers) {
    s.relays.close();
    await s.peers.stop();
    s.http.closeAllConnections();
    await new Promise<void>((r) => s.http.close(() => r()));
  }
  await t.close();
});

describe('a node\'s logs and exec through a server that does not hold its tunnel', () => {
  test('logs, exec and stats asked of B reach the node through A', async () => {
    const node = b.nodes.get('edge-h3');
    assert.equal(await read(await node.podLogs('default', 'web', {}, new AbortController().signal)), 'web says hello\n');
    const session = await node.podExec('default', 'web', { command: ['echo', 'hi'], stdin: false, tty: false });
    assert.equal(await read(session.stdout), 'echo hi');
    assert.equal(await session.exit, 7);
    assert.equal((await node.podStats('default', 'web')).length, 1);
  });

  test('only a peer server may open the relay: a node, a join token and the admin get 403', async () => {
    assert.equal(await relayStatus(a.url, b.peers.credential), 101);
    for (const token of [NODE, JOIN, ADMIN]) assert.equal(await relayStatus(a.url, token), 403, token);
    assert.equal(await relayStatus(a.url, 'lt-server:nobody:' + '0'.repeat(64)), 401);
  });

  test('once the node\'s tunnel is gone from every server, B answers 503 naming the node', async () => {
    dropTunnel();
    await eventually('the tunnel record is gone', () => b.peers.holder('edge-h3') === undefined);
    assert.throws(() => b.nodes.get('edge-h3'), (e: unknown) => e instanceof ApiError && e.code === 'Unavailable' && /edge-h3/.test(e.message));
  });
});
