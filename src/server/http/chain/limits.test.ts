import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN, NODE, NODE_NAME, get, outlive, rawConnect, startChainServer, until, type ChainServer } from './test-server.js';

/** Short limits so a test outlives them in well under a second. */
const limits = { maxConnectionsPerAddress: 2, headersTimeoutMs: 300, requestBodyTimeoutMs: 300, keepAliveTimeoutMs: 300, maxHeaderSize: 4096 };
const pastTimeouts = 1200;

const configMap = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'slow' }, data: { k: 'v' } });

describe('connection limits and timeouts (real sockets, real server)', { timeout: 60_000 }, () => {
  let s: ChainServer;
  /** Bytes the registry hook received per request: a stand-in for a layer push (a stream). */
  const uploads: number[] = [];

  before(async () => {
    s = await startChainServer({
      limits,
      registry: async (req: IncomingMessage, res: ServerResponse) => {
        let n = 0;
        for await (const c of req as AsyncIterable<Buffer>) n += c.length;
        uploads.push(n);
        res.writeHead(202, { 'content-length': '0' });
        res.end();
      },
    });
  });
  after(async () => { await s.close(); });

  test('a client address past its connection cap is answered 429 with Retry-After and closed; other addresses are served', { timeout: 15_000 }, async () => {
    const a = await rawConnect(s.port);
    const b = await rawConnect(s.port);
    for (const c of [a, b]) c.socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    await until('both answered', () => a.data().includes('200 OK') && b.data().includes('200 OK'));
    const third = await rawConnect(s.port);
    third.socket.write(`GET /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN}\r\n\r\n`);
    await third.closed;
    assert.match(third.data(), /^HTTP\/1\.1 429 /);
    assert.match(third.data(), /retry-after: 1/i);
    const body = JSON.parse(third.data().slice(third.data().indexOf('\r\n\r\n') + 4)) as { reason: string; message: string };
    assert.equal(body.reason, 'TooManyRequests');
    assert.match(body.message, /too many connections from 127\.0\.0\.1: .*--max-connections-per-address/);
    // An upgrade (the node tunnel) on a connection over the cap is refused the same way.
    const tunnel = await rawConnect(s.port);
    tunnel.socket.write(`GET /apis/lantern.dev/v1/nodes/${NODE_NAME}/tunnel HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${NODE}\r\nConnection: Upgrade\r\nUpgrade: lantern-tunnel\r\n\r\n`);
    await tunnel.closed;
    assert.match(tunnel.data(), /^HTTP\/1\.1 429 [^]*retry-after: 1\r\n/);
    assert.equal(s.nodes.names().includes(NODE_NAME), false);
    // Another address is not affected.
    assert.equal((await get(s.port, '/api/v1/namespaces/default/configmaps', ADMIN, '127.0.0.2')).status, 200);
    // Once one of the two closes, the address may connect again.
    a.socket.destroy();
    await until('a new connection from 127.0.0.1 is served', async () => (await get(s.port, '/healthz')).status === 200);
    b.socket.destroy();
  });

  test('a connection that never sends a request is closed (headers timeout)', { timeout: 15_000 }, async () => {
    const c = await rawConnect(s.port, '127.0.0.3');
    await c.closed;
    assert.match(c.data(), /^HTTP\/1\.1 408 /);
  });

  test('headers sent byte by byte, slower than the headers timeout allows, are cut (slowloris)', { timeout: 15_000 }, async () => {
    const c = await rawConnect(s.port, '127.0.0.3');
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => { if (!c.isClosed()) c.socket.write('X-Drip: 1\r\n'); }, 50);
    try { await c.closed; } finally { clearInterval(drip); }
    assert.match(c.data(), /^HTTP\/1\.1 408 /);
  });

  test('the body of an ordinary request must arrive within the request timeout: 408 RequestTimeout, connection closed', { timeout: 15_000 }, async () => {
    const c = await rawConnect(s.port, '127.0.0.3');
    c.socket.write(`POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN}\r\nContent-Type: application/json\r\nContent-Length: ${configMap.length}\r\n\r\n${configMap.slice(0, 10)}`);
    await c.closed;
    assert.match(c.data(), /^HTTP\/1\.1 408 /);
    const body = JSON.parse(c.data().slice(c.data().indexOf('\r\n\r\n') + 4)) as { reason: string; message: string };
    assert.equal(body.reason, 'Timeout');
    assert.match(body.message, /request body did not arrive within/);
    assert.equal((await get(s.port, '/api/v1/namespaces/default/configmaps/slow')).status, 404, 'nothing was stored');
  });

  test('a streaming upload (a registry blob) may take longer than the request timeout', { timeout: 15_000 }, async () => {
    const c = await rawConnect(s.port, '127.0.0.3');
    c.socket.write(`PATCH /v2/team/app/blobs/uploads/u1 HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n`);
    for (let i = 0; i < 10; i++) { c.socket.write('x'); await outlive(pastTimeouts / 10); }
    await until('the upload answered', () => c.data().includes('\r\n\r\n'));
    assert.match(c.data(), /^HTTP\/1\.1 202 /);
    assert.equal(uploads.at(-1), 10);
    c.socket.destroy();
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout', { timeout: 15_000 }, async () => {
    const c = await rawConnect(s.port, '127.0.0.3');
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.closed;
    assert.match(c.data(), /^HTTP\/1\.1 200 /);
    assert.doesNotMatch(c.data(), /408/);
  });

  test('request heads larger than maxHeaderSize are refused with 431', { timeout: 15_000 }, async () => {
    const c = await rawConnect(s.port, '127.0.0.3');
    c.socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(8192)}\r\n\r\n`);
    await c.closed;
    assert.match(c.data(), /^HTTP\/1\.1 431 /);
  });

  test('a watch and the node tunnel (an upgrade) outlive every timeout', { timeout: 15_000 }, async () => {
    const watchLines: string[] = [];
    const watch = http.get({ host: '127.0.0.1', port: s.port, localAddress: '127.0.0.4', path: '/api/v1/namespaces/default/configmaps?watch=1', headers: { authorization: `Bearer ${ADMIN}` } });
    watch.on('response', (res) => res.on('data', (d: Buffer) => watchLines.push(d.toString())));
    const tunnel = await rawConnect(s.port, '127.0.0.4');
    tunnel.socket.write(`GET /apis/lantern.dev/v1/nodes/${NODE_NAME}/tunnel HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${NODE}\r\nConnection: Upgrade\r\nUpgrade: lantern-tunnel\r\n\r\n`);
    await until('the tunnel is registered and answered', () => s.nodes.names().includes(NODE_NAME) && tunnel.data().includes('\r\n\r\n'));
    assert.match(tunnel.data(), /^HTTP\/1\.1 101 /);
    await outlive(pastTimeouts);
    assert.equal(tunnel.isClosed(), false, 'the tunnel is still open');
    assert.ok(s.nodes.names().includes(NODE_NAME));
    const created = await fetch(`${s.base}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-timeouts' } }) });
    assert.equal(created.status, 201);
    await until('the watch sees the new object', () => watchLines.join('').includes('after-timeouts'));
    watch.destroy();
    tunnel.socket.destroy();
  });
});
