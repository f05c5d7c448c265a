import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import { Channel, FrameDecoder, encodeFrame } from '../../api/stream-frames.js';
import { HttpClient } from '../../client/http-client.js';
import { openUpgrade } from './upgrade.js';
import { runSession, startFailureCode } from './session.js';

/** An HTTP server whose upgrade handler plays one scripted exec; answers 404 JSON for other paths. */
async function withServer(fn: (client: HttpClient, received: { channel: number; payload: string }[], seen: { url: string; auth: string }) => Promise<void>): Promise<void> {
  const received: { channel: number; payload: string }[] = [];
  const seen = { url: '', auth: '' };
  const server = http.createServer();
  server.on('upgrade', (req, socket) => {
    seen.url = req.url ?? '';
    seen.auth = req.headers.authorization ?? '';
    if (!req.url?.includes('/exec')) {
      const body = JSON.stringify(new ApiError('NotFound', 'no upgrade route').toBody());
      socket.end(`HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
      return;
    }
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: lantern-stream\r\nConnection: Upgrade\r\n\r\n');
    socket.write(encodeFrame(Channel.stdout, 'out\n'));
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const f of decoder.push(chunk)) {
        received.push({ channel: f.channel, payload: f.payload.toString() });
        if (f.channel === Channel.stdin) socket.write(encodeFrame(Channel.stdout, f.payload));
        if (f.channel === Channel.stdinEnd) {
          socket.write(encodeFrame(Channel.stderr, 'err\n'));
          socket.end(encodeFrame(Channel.exit, JSON.stringify({ exitCode: 3 })));
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    await fn(new HttpClient({ server: `http://127.0.0.1:${port}`, token: 'tok' }), received, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const collect = (s: PassThrough): (() => string) => { let t = ''; s.on('data', (d: Buffer) => { t += d.toString(); }); return () => t; };

describe('exec/attach streams', () => {
  test('stdin goes out as frames then stdinEnd; stdout/stderr/exit come back', async () => {
    await withServer(async (client, received, seen) => {
      const up = await openUpgrade(client, '/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true');
      assert.equal(seen.auth, 'Bearer tok');
      assert.match(seen.url, /command=cat/);
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const out = collect(stdout);
      const err = collect(stderr);
      const session = runSession(up, { stdin, stdout, stderr });
      stdin.end('typed\n');
      const r = await session.result;
      assert.deepEqual(r, { exitCode: 3 });
      assert.equal(out(), 'out\ntyped\n');
      assert.equal(err(), 'err\n');
      assert.deepEqual(received, [{ channel: Channel.stdin, payload: 'typed\n' }, { channel: Channel.stdinEnd, payload: '' }]);
    });
  });

  test('a refusal before the upgrade is the server\'s ApiError', async () => {
    await withServer(async (client) => {
      await assert.rejects(openUpgrade(client, '/api/v1/namespaces/default/pods/p/attach'), (e: unknown) => (e as { code?: string }).code === 'NotFound');
    });
  });

  test('start failures map to Docker\'s 126/127', () => {
    assert.equal(startFailureCode('exec: "nosuch": executable file not found in $PATH'), 127);
    assert.equal(startFailureCode('exec: "/etc": permission denied'), 126);
  });
});
