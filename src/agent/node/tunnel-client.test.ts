import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { NodeServices } from '../../api/node-services.js';
import { FrameType } from '../../client/tunnel/frames.js';
import { TunnelMux } from '../../client/tunnel/mux.js';
import { TunnelClient } from './tunnel-client.js';

const unused = (): never => { throw new Error('not used by this test'); };
const services: NodeServices = {
  podLogs: unused, podExec: unused, podAttach: unused, podStats: unused, podPortForward: unused, importImage: unused, removeImage: unused,
  pullImage: unused, pushImage: unused, tagImage: unused,
  listImages: async () => [{ node: 'edge', names: ['busybox:latest'], id: 'i', digest: 'd', sizeBytes: 1, architecture: 'amd64', os: 'linux' }],
};

/** Ask the agent at the other end of mux for its images, as the server would. */
function listImages(mux: TunnelMux): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const s = mux.open('listImages', []);
    s.onGone = reject;
    s.onFrame = (type, payload) => { if (type === FrameType.result) resolve(JSON.parse(payload.toString())); };
  });
}

test('the agent dials the tunnel with its credential, serves calls, and redials after the connection drops', async () => {
  const seen: { path?: string; auth?: string; upgrade?: string }[] = [];
  const waiting: ((m: TunnelMux) => void)[] = [];
  const server = http.createServer((_req, res) => res.end());
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    seen.push({ path: req.url, auth: req.headers.authorization, upgrade: req.headers.upgrade });
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: lantern-tunnel\r\nConnection: Upgrade\r\n\r\n');
    waiting.shift()?.(new TunnelMux(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const next = (): Promise<TunnelMux> => new Promise((r) => waiting.push(r));
  const client = new TunnelClient({
    config: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'lt-node:edge:secret' },
    nodeName: 'edge', services, log: () => undefined, minDelayMs: 10,
  });
  try {
    const first = next();
    client.start();
    const mux1 = await first;
    assert.deepEqual(seen[0], { path: '/apis/lantern.dev/v1/nodes/edge/tunnel', auth: 'Bearer lt-node:edge:secret', upgrade: 'lantern-tunnel' });
    assert.deepEqual(await listImages(mux1), { value: [{ node: 'edge', names: ['busybox:latest'], id: 'i', digest: 'd', sizeBytes: 1, architecture: 'amd64', os: 'linux' }] });

    const second = next();
    mux1.close('the server restarted');
    const mux2 = await second;
    assert.equal(seen.length, 2);
    assert.deepEqual(await listImages(mux2), { value: [{ node: 'edge', names: ['busybox:latest'], id: 'i', digest: 'd', sizeBytes: 1, architecture: 'amd64', os: 'linux' }] });
    mux2.close();
  } finally {
    client.stop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
