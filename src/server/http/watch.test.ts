import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { openTestApi } from '../../testing/api.js';
import { eventually } from '../../testing/eventually.js';
import { serveWatch } from './watch.js';

test('a watcher that stops reading is cut off once a bounded amount waits for it, instead of the server buffering every change', async () => {
  const t = await openTestApi({ prefix: 'lantern-watch-' });
  const api = t.api;
  const limit = 256 * 1024;
  let response: http.ServerResponse | undefined;
  const server = http.createServer((req, res) => {
    response = res;
    serveWatch(api, req, res, 'configmaps', 'default', new URLSearchParams(), limit);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  // A raw client that sends the request and then reads nothing.
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', r));
  socket.pause();
  socket.write(`GET /watch HTTP/1.1\r\nHost: x\r\n\r\n`);
  try {
    const big = 'x'.repeat(64 * 1024);
    let made = 0;
    // Far more than the limit plus what the kernel's socket buffers hold (both directions, a few MB).
    let buffered = 0;
    for (; made < 400 && !response?.writableEnded; made++) {
      await api.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm${made}`, namespace: 'default' }, data: { big } });
      await new Promise((r) => setImmediate(r)); // let the watch flush
      buffered = Math.max(buffered, response?.writableLength ?? 0);
    }
    assert.equal(response?.writableEnded, true, `the slow watch was never ended after ${made} changes of 64 KiB`);
    assert.ok(buffered <= limit + 256 * 1024, `at most the limit and a batch or two wait for the slow client: ${buffered} bytes`);
    // Later changes are not queued for it.
    await api.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after', namespace: 'default' }, data: { big } });
    await new Promise((r) => setImmediate(r));
    assert.ok((response?.writableLength ?? 0) <= buffered + 64, 'nothing more is buffered after the cut');
    // Reading now, the client gets what was sent and then the end of the chunked body: it can resume.
    socket.resume();
    let text = '';
    socket.on('data', (b: Buffer) => { text += b.toString('latin1'); });
    await eventually('the end of the chunked body', () => text.endsWith('0\r\n\r\n'), { intervalMs: 20 });
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.match(text, /"type":"ADDED"/);
  } finally {
    socket.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await t.close();
  }
});
