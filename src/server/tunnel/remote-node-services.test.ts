import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Duplex, PassThrough, Readable } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import type { NodeServices, PodExecOptions, PodExecSession } from '../../api/node-services.js';
import { TunnelMux } from '../../client/tunnel/mux.js';
import { serveNodeServices } from '../../client/tunnel/serve.js';
import { eventually } from '../../testing/eventually.js';
import { RemoteNodeServices } from './remote-node-services.js';

/** Two connected in-memory ends, as a socket pair would be. */
function duplexPair(): [Duplex, Duplex] {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  return [Duplex.from({ readable: bToA, writable: aToB }), Duplex.from({ readable: aToB, writable: bToA })];
}

const read = async (s: Readable | undefined): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of (s ?? Readable.from([])) as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString();
};

const unused = (): never => { throw new Error('not used by this test'); };

/**
 * A pod's TCP server: it answers what it read, upper-cased, only after the client half-closed (so
 * bytes must still flow back after END), then ends its side. Port "refused" is one nobody listens on.
 */
let podPort = 0;
let refusedPort = 0;
const podConnections: net.Socket[] = [];
const podServer = net.createServer({ allowHalfOpen: true }, (sock) => {
  podConnections.push(sock);
  const chunks: Buffer[] = [];
  sock.on('data', (d: Buffer) => chunks.push(d));
  sock.on('end', () => sock.end(Buffer.concat(chunks).toString().toUpperCase()));
  sock.on('error', () => undefined);
});

/** A node whose exec upper-cases its stdin and exits 3. */
const fake: NodeServices = {
  podLogs: async (_ns, pod) => Readable.from([`${pod} line 1\n`, `${pod} line 2\n`]),
  podExec: async (_ns, _pod, opts: PodExecOptions): Promise<PodExecSession> => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const exit = (async () => {
      const input = await read(stdin);
      stdout.end(`${opts.command.join(' ')}: ${input.toUpperCase()}`);
      stderr.end('done\n');
      return 3;
    })();
    return { stdin, stdout, stderr, exit, resize: () => undefined, kill: () => stdin.destroy() };
  },
  podAttach: unused,
  podPortForward: (_ns, pod, port) => new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port: port === 80 ? podPort : refusedPort, allowHalfOpen: true });
    sock.once('connect', () => resolve(sock));
    sock.once('error', () => reject(new ApiError('BadRequest', `cannot connect to port ${port} of pod "${pod}": connection refused`)));
  }),
  podStats: async (_ns, pod) => { throw new ApiError('NotFound', `pod "${pod}" is not running on node edge`); },
  listImages: async () => [{ node: 'edge', names: ['busybox:latest'], id: 'sha256:1', digest: 'sha256:2', sizeBytes: 1, architecture: 'amd64', os: 'linux' }],
  importImage: async (archive) => [{ node: 'edge', names: [await read(archive)], id: 'x', digest: 'y', sizeBytes: 0, architecture: 'amd64', os: 'linux' }],
  removeImage: unused,
  pullImage: async (ref, opts) => {
    for (const n of [1, 2]) opts.onProgress?.({ layer: 'sha256:aa', status: 'Downloading', current: n, total: 2 });
    return { node: 'edge', names: [ref, opts.auth?.username ?? ''], id: 'i', digest: 'd', sizeBytes: 2, architecture: opts.platform ?? '', os: 'linux' };
  },
  pushImage: unused,
  tagImage: unused,
  buildImage: async (context, opts, progress) => {
    const text = await read(context);
    progress('Step 1/2 : FROM busybox\n');
    progress(' ---> Running in abc\nbuilt\n');
    return { node: 'edge', names: [opts.tag ?? '', text], id: 'sha256:b', digest: 'sha256:m', sizeBytes: text.length, architecture: 'amd64', os: 'linux' };
  },
};

function connect(): { remote: RemoteNodeServices; server: TunnelMux; agent: TunnelMux } {
  const [a, b] = duplexPair();
  const server = new TunnelMux(a);
  const agent = new TunnelMux(b, serveNodeServices(fake));
  return { remote: new RemoteNodeServices(server, 'edge'), server, agent };
}

describe('RemoteNodeServices over a tunnel to a node', () => {
  before(async () => {
    await new Promise<void>((r) => podServer.listen(0, '127.0.0.1', r));
    podPort = (podServer.address() as AddressInfo).port;
    const spare = net.createServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
    refusedPort = (spare.address() as AddressInfo).port;
    await new Promise((r) => spare.close(r));
  });
  after(() => { for (const c of podConnections) c.destroy(); podServer.close(); });

  test('logs stream through and end', async () => {
    const { remote, server } = connect();
    assert.equal(await read(await remote.podLogs('default', 'web', {}, new AbortController().signal)), 'web line 1\nweb line 2\n');
    server.close();
  });

  test('exec carries stdin, stdout, stderr and the exit code, concurrently with other calls', async () => {
    const { remote, server } = connect();
    const session = await remote.podExec('default', 'web', { command: ['cat'], stdin: true, tty: false });
    const [images, out, err] = await Promise.all([remote.listImages(), read(session.stdout), read(session.stderr),
      (async () => { session.stdin!.write('hello '); session.stdin!.end('tunnel'); })()]);
    assert.deepEqual(images[0]!.names, ['busybox:latest']);
    assert.equal(out, 'cat: HELLO TUNNEL');
    assert.equal(err, 'done\n');
    assert.equal(await session.exit, 3);
    server.close();
  });

  test("an agent's error comes back as the same API error", async () => {
    const { remote, server } = connect();
    await assert.rejects(remote.podStats('default', 'gone'), (e: unknown) => e instanceof ApiError && e.code === 'NotFound' && /pod "gone" is not running on node edge/.test(e.message));
    server.close();
  });

  test('an image archive streams to the node', async () => {
    const { remote, server } = connect();
    const items = await remote.importImage(Readable.from([Buffer.from('tar'), Buffer.from('ball')]));
    assert.deepEqual(items[0]!.names, ['tarball']);
    server.close();
  });

  test('a build sends its context down and its progress back up, then the image', async () => {
    const { remote, server } = connect();
    let progress = '';
    const img = await remote.buildImage(Readable.from([Buffer.from('context '), Buffer.from('tar')]), { tag: 'app:1', buildArgs: {}, noCache: false }, (t) => { progress += t; });
    assert.deepEqual(img.names, ['app:1', 'context tar']);
    assert.equal(progress, 'Step 1/2 : FROM busybox\n ---> Running in abc\nbuilt\n');
    server.close();
  });

  test('a pull carries the credentials to the node and its progress back, line by line', async () => {
    const { remote, server } = connect();
    const seen: unknown[] = [];
    const img = await remote.pullImage('localhost:5000/a:1', { platform: 'linux/arm64', auth: { username: 'ann', password: 'pw' }, onProgress: (p) => seen.push(p) });
    assert.deepEqual(img.names, ['localhost:5000/a:1', 'ann']);
    assert.equal(img.architecture, 'linux/arm64');
    assert.deepEqual(seen, [1, 2].map((n) => ({ layer: 'sha256:aa', status: 'Downloading', current: n, total: 2 })));
    server.close();
  });

  test('calls fail with 503 once the connection drops', async () => {
    const { remote, agent } = connect();
    agent.close();
    await assert.rejects(remote.listImages(), (e: unknown) => e instanceof ApiError && e.status === 503 && /node "edge" disconnected/.test(e.message));
  });

  test('port-forward carries bytes both ways, half-close included, one stream per connection', { timeout: 10_000 }, async () => {
    const { remote, server } = connect();
    const [a, b] = await Promise.all([remote.podPortForward('default', 'web', 80), remote.podPortForward('default', 'web', 80)]);
    const replies = Promise.all([read(a), read(b)]);
    a.write('hello ');
    b.end('second');
    a.end('tunnel');
    assert.deepEqual(await replies, ['HELLO TUNNEL', 'SECOND']);
    server.close();
  });

  test('port-forward to a port nobody listens on fails with the agent\'s error', { timeout: 10_000 }, async () => {
    const { remote, server } = connect();
    await assert.rejects(remote.podPortForward('default', 'web', 81), (e: unknown) => e instanceof ApiError && e.code === 'BadRequest' && /connection refused/.test(e.message));
    server.close();
  });

  test('a reset on either side drops the other: pod connection destroyed -> error here; destroyed here -> pod connection closed', { timeout: 10_000 }, async () => {
    const { remote, server } = connect();
    const before = podConnections.length;
    const conn = await remote.podPortForward('default', 'web', 80);
    await eventually('the pod connection', () => podConnections.length > before, { timeoutMs: 2000, intervalMs: 5 });
    const failed = new Promise<Error>((r) => conn.once('error', r));
    conn.resume();
    podConnections.at(-1)!.resetAndDestroy();
    assert.match((await failed).message, /reset/);

    const conn2 = await remote.podPortForward('default', 'web', 80);
    await eventually('the second pod connection', () => podConnections.length > before + 1, { timeoutMs: 2000, intervalMs: 5 });
    const podSide = podConnections.at(-1)!;
    const closed = new Promise((r) => podSide.once('close', r));
    conn2.destroy();
    await closed;
    server.close();
  });

  test('port-forward streams fail once the connection drops', { timeout: 10_000 }, async () => {
    const { remote, agent } = connect();
    const conn = await remote.podPortForward('default', 'web', 80);
    const failed = new Promise<Error>((r) => conn.once('error', r));
    agent.close();
    assert.match((await failed).message, /reset/);
  });
});
