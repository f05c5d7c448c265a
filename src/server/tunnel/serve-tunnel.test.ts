import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import type { NodeServices } from '../../api/node-services.js';
import { TunnelMux } from '../../client/tunnel/mux.js';
import { serveNodeServices } from '../../client/tunnel/serve.js';
import { eventually } from '../../testing/eventually.js';
import { NodeRegistry } from '../node-registry.js';
import { serveTunnel } from './serve-tunnel.js';

const unused = (): never => { throw new Error('not used by this test'); };
/** A node whose only working call names it, so a test can tell which tunnel served a call. */
const servicesOf = (who: string): NodeServices => ({
  podLogs: unused, podExec: unused, podAttach: unused, podPortForward: unused, podStats: unused,
  importImage: unused, removeImage: unused, pullImage: unused, pushImage: unused, tagImage: unused,
  listImages: async () => [{ node: 'edge', id: who, names: [], digest: '', sizeBytes: 0, architecture: 'amd64', os: 'linux' }],
});

type Dialled = { status: 101; socket: Socket } | { status: number; body: string };

describe('one tunnel per node: a second is refused while the first answers', () => {
  const nodes = new NodeRegistry();
  const sockets: Duplex[] = [];
  let server: http.Server;
  let port = 0;

  before(async () => {
    nodes.reserve('server-node');
    nodes.register('in-process', servicesOf('in-process'));
    server = http.createServer();
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
      sockets.push(socket);
      const node = /\/nodes\/([^/]+)\/tunnel$/.exec(req.url ?? '')?.[1] ?? '';
      serveTunnel(nodes, req, socket, node, () => undefined, 300).catch((e: unknown) => {
        const err = e instanceof ApiError ? e : new ApiError('Internal', String(e));
        const body = JSON.stringify(err.toBody());
        socket.end(`HTTP/1.1 ${err.status} ${err.code}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  /** Offer a tunnel for `node`; on 101 the caller decides whether the socket answers. */
  const dial = (node: string): Promise<Dialled> => new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', path: `/apis/lantern.dev/v1/nodes/${node}/tunnel`, headers: { connection: 'Upgrade', upgrade: 'lantern-tunnel' } });
    req.on('upgrade', (_res, socket: Socket) => { sockets.push(socket); resolve({ status: 101, socket }); });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
  /** An agent that serves its tunnel (and so answers the server's pings). */
  const agent = async (node: string, who: string): Promise<TunnelMux> => {
    const d = await dial(node);
    assert.equal(d.status, 101, 'body' in d ? d.body : '');
    return new TunnelMux((d as { socket: Socket }).socket, serveNodeServices(servicesOf(who)));
  };
  const servedBy = async (node: string): Promise<string> => (await nodes.get(node).listImages())[0]!.id;

  test('a second tunnel for a node whose tunnel answers is refused with 409; the first keeps serving', async () => {
    const first = await agent('edge-1', 'first');
    const second = await dial('edge-1');
    assert.equal(second.status, 409);
    assert.match('body' in second ? second.body : '', /node \\?"edge-1\\?" already has a live tunnel \(from 127\.0\.0\.1:\d+, since .*\); a second one is refused/);
    assert.equal(await servedBy('edge-1'), 'first');
    first.close();
  });

  test('a tunnel that went silent without a FIN is dropped when the node dials again, and the new one is taken', async () => {
    const old = await dial('edge-2');
    assert.equal(old.status, 101);
    const oldSocket = (old as { socket: Socket }).socket;
    oldSocket.pause(); // it reads nothing and answers nothing, as a peer that lost power
    const fresh = await agent('edge-2', 'fresh');
    // The server hung up on the old connection: reading it again ends in its FIN.
    const oldClosed = new Promise((r) => oldSocket.once('close', r));
    oldSocket.resume();
    await oldClosed;
    assert.equal(await servedBy('edge-2'), 'fresh');
    fresh.close();
  });

  test('once a tunnel closed, the node dials again at once', async () => {
    const first = await agent('edge-3', 'first');
    const gone = new Promise<void>((r) => first.onClose(() => r()));
    first.close();
    await gone;
    // The server notices the FIN on its own and forgets the tunnel.
    await eventually('the server to forget edge-3\'s tunnel', () => nodes.tunnel('edge-3') === undefined, { intervalMs: 10 });
    await assert.rejects(servedBy('edge-3'), /node "edge-3" is not connected/);
    const again = await agent('edge-3', 'again');
    assert.equal(await servedBy('edge-3'), 'again');
    again.close();
  });

  test("the server's own node never takes a tunnel, reserved or registered in-process", async () => {
    for (const name of ['server-node', 'in-process']) {
      const d = await dial(name);
      assert.equal(d.status, 403, name);
      assert.match('body' in d ? d.body : '', /this server's own node/);
    }
    assert.equal(await servedBy('in-process'), 'in-process');
  });
});
