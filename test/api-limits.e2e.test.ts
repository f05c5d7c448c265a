/**
 * The limits flags of a real `lanternd server`: --max-mutating-requests-inflight (429 with
 * Retry-After, the in-flight metric) and --max-connections-per-address.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { TestServer, lanterndBin } from './harness/lanternd.js';

/** A raw connection to the server that records what it is sent. */
async function connect(url: string, localAddress = '127.0.0.1'): Promise<{ socket: net.Socket; data: () => string; closed: Promise<void> }> {
  const u = new URL(url);
  const socket = net.connect({ port: Number(u.port), host: u.hostname, localAddress });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let text = '';
  socket.on('data', (d: Buffer) => { text += d.toString('latin1'); });
  socket.on('error', () => undefined);
  return { socket, data: () => text, closed: new Promise((resolve) => socket.once('close', () => resolve())) };
}

describe('lanternd server --max-mutating-requests-inflight, --max-connections-per-address', () => {
  const server = new TestServer(['--no-agent', '--max-mutating-requests-inflight', '1', '--max-connections-per-address', '3']);
  let joinToken = '';
  before(async () => {
    await server.start();
    joinToken = server.joinToken;
  });
  after(async () => { await server.stop(); });

  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  const post = (token: string, send: string): string => `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${send}`;

  test('a write past the cap is 429 with Retry-After while another is in flight; the metric counts it', async () => {
    // A write whose body has not all arrived holds the one mutating slot.
    const slow = await connect(server.url);
    slow.socket.write(post(joinToken, body.slice(0, 5)));
    await server.until('the slow write is in flight', async () => {
      const metrics = await server.api<string>('GET', '/metrics');
      return /apiserver_current_inflight_requests\{request_kind="mutating"\} 1/.test(metrics.body);
    });
    const refused = await connect(server.url);
    refused.socket.write(post(joinToken, body));
    await server.until('an answer', async () => refused.data().includes('\r\n\r\n{'));
    assert.match(refused.data(), /^HTTP\/1\.1 429 /);
    assert.match(refused.data(), /retry-after: 1\r\n/i);
    assert.match(refused.data(), /"reason":"TooManyRequests"/);
    assert.match(refused.data(), /--max-mutating-requests-inflight/);
    refused.socket.destroy();
    // The admin is answered all the same.
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'by-admin' } })).status, 201);
    slow.socket.write(body.slice(5));
    await server.until('the slow write answered', async () => slow.data().includes('\r\n\r\n{'));
    assert.match(slow.data(), /^HTTP\/1\.1 403 /, 'the join token may not write ConfigMaps; it held the slot until its body came');
    slow.socket.destroy();
  });

  test('past --max-connections-per-address a connection is answered 429 and closed', { timeout: 30_000 }, async () => {
    // From an address of its own: the harness's keep-alive connections come from 127.0.0.1.
    const open = await Promise.all([connect(server.url, '127.0.0.9'), connect(server.url, '127.0.0.9'), connect(server.url, '127.0.0.9')]);
    for (const c of open) c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await server.until('three answers', async () => open.every((c) => c.data().includes('200 OK')));
    const fourth = await connect(server.url, '127.0.0.9');
    fourth.socket.write(`GET /api/v1/nodes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
    await fourth.closed;
    assert.match(fourth.data(), /^HTTP\/1\.1 429 /);
    assert.match(fourth.data(), /--max-connections-per-address/);
    for (const c of open) c.socket.destroy();
  });

  test('a bad value is refused at start, naming the flag', () => {
    const r = spawnSync(process.execPath, [lanterndBin, 'server', '--max-requests-inflight', 'lots'], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--max-requests-inflight: expected a whole number >= 0, got "lots"/);
  });
});
