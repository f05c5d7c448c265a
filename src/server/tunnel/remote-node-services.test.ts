import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex, PassThrough, Readable } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import type { NodeServices, PodExecOptions, PodExecSession } from '../../api/node-services.js';
import { TunnelMux } from '../../client/tunnel/mux.js';
import { serveNodeServices } from '../../client/tunnel/serve.js';
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
  podStats: async (_ns, pod) => { throw new ApiError('NotFound', `pod "${pod}" is not running on node edge`); },
  listImages: async () => [{ node: 'edge', names: ['busybox:latest'], id: 'sha256:1', digest: 'sha256:2', sizeBytes: 1, architecture: 'amd64', os: 'linux' }],
  importImage: async (archive) => [{ node: 'edge', names: [await read(archive)], id: 'x', digest: 'y', sizeBytes: 0, architecture: 'amd64', os: 'linux' }],
  removeImage: unused,
};

function connect(): { remote: RemoteNodeServices; server: TunnelMux; agent: TunnelMux } {
  const [a, b] = duplexPair();
  const server = new TunnelMux(a);
  const agent = new TunnelMux(b, serveNodeServices(fake));
  return { remote: new RemoteNodeServices(server, 'edge'), server, agent };
}

describe('RemoteNodeServices over a tunnel to a node', () => {
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

  test('calls fail with 503 once the connection drops', async () => {
    const { remote, agent } = connect();
    agent.close();
    await assert.rejects(remote.listImages(), (e: unknown) => e instanceof ApiError && e.status === 503 && /node "edge" disconnected/.test(e.message));
  });
});
