import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Container, Probe } from '../../api/schema/pod.js';
import type { ContainerRuntime } from '../../runtime/types.js';
import { probeHandler, resolvePort } from './probe-handlers.js';

/** httpGet and tcpSocket handlers against real local sockets (the pod IP is 127.0.0.1 here). */
describe('probe handlers', () => {
  let server: http.Server;
  let port = 0;
  let closedPort = 0;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/hang') return; // never answers: only the timeout ends it
      const code = req.url === '/ok' ? 200 : req.url === '/moved' ? 301 : req.url === '/agent' ? (req.headers['user-agent']?.startsWith('kube-probe/') && req.headers['x-probe'] === 'yes' ? 204 : 400) : 500;
      res.writeHead(code).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    const spare = net.createServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
    closedPort = (spare.address() as AddressInfo).port;
    await new Promise((r) => spare.close(r));
  });
  after(() => { server.closeAllConnections(); server.close(); });

  const container: Container = { name: 'main', image: 'busybox', ports: [{ name: 'web', containerPort: 8080 }] };
  const handler = (podIP: string | undefined = '127.0.0.1') => probeHandler({ runtime: {} as ContainerRuntime, containerId: 'c1', container, podIP: () => podIP });
  const run = (p: Probe, signal = new AbortController().signal, podIP?: string) => handler(podIP)('liveness', p, signal);

  test('httpGet passes on 2xx and 3xx and fails with the status code otherwise', async () => {
    assert.deepEqual(await run({ httpGet: { path: '/ok', port } }), { ok: true });
    assert.deepEqual(await run({ httpGet: { path: '/moved', port } }), { ok: true });
    assert.deepEqual(await run({ httpGet: { path: '/healthz', port } }), { ok: false, message: 'HTTP probe failed with statuscode: 500' });
  });

  test('httpGet sends the probe user agent and the configured headers', async () => {
    assert.deepEqual(await run({ httpGet: { path: '/agent', port, httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } }), { ok: true });
  });

  test('httpGet to a closed port and a server that never answers', async () => {
    const refused = await run({ httpGet: { path: '/', port: closedPort } });
    assert.equal(refused.ok, false);
    assert.match(refused.message ?? '', /dial tcp 127\.0\.0\.1:\d+: connect: connection refused/);
    const ac = new AbortController();
    const pending = run({ httpGet: { path: '/hang', port } }, ac.signal);
    ac.abort();
    const r = await pending;
    assert.equal(r.ok, false);
    assert.match(r.message ?? '', /context deadline exceeded/);
  });

  test('tcpSocket passes when it connects, and names the refused address', async () => {
    assert.deepEqual(await run({ tcpSocket: { port } }), { ok: true });
    assert.deepEqual(await run({ tcpSocket: { port: closedPort } }), { ok: false, message: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused` });
  });

  test('a pod without an IP and an unknown named port fail with a reason', async () => {
    assert.deepEqual(await run({ tcpSocket: { port } }, undefined, ''), { ok: false, message: 'the pod has no IP address yet' });
    assert.deepEqual(await run({ httpGet: { port: 'nope' } }), { ok: false, message: 'could not find a container port named "nope"' });
  });

  test('named ports resolve through the container ports', () => {
    assert.equal(resolvePort(container, 'web'), 8080);
    assert.equal(resolvePort(container, 9000), 9000);
    assert.equal(resolvePort(container, 'other'), undefined);
  });
});
