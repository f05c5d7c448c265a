import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex, PassThrough, Readable } from 'node:stream';
import { encodeFrame } from '../api/stream-frames.js';
import { FramedDuplex, PortForwardChannel, splice } from './port-forward.js';

/** Two connected in-memory ends, as the two sides of an upgraded HTTP connection. */
function duplexPair(): [Duplex, Duplex] {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  return [Duplex.from({ readable: bToA, writable: aToB }), Duplex.from({ readable: aToB, writable: bToA })];
}

/** Everything a stream yields until its end; unlike for-await it leaves the writable side open. */
const read = (s: Readable): Promise<string> => new Promise((resolve, reject) => {
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  s.once('end', () => resolve(Buffer.concat(chunks).toString()));
  s.once('error', reject);
});

describe('port-forward framing over one upgraded connection', { timeout: 10_000 }, () => {
  test('bytes flow both ways and each side half-closes on its own', async () => {
    const [x, y] = duplexPair();
    const client = new FramedDuplex(x);
    const server = new FramedDuplex(y);
    client.end('request');
    assert.equal(await read(server), 'request', 'the client\'s END reaches the server as end-of-stream');
    // The server still answers after the client half-closed.
    const reply = read(client);
    server.end('response');
    assert.equal(await reply, 'response');
  });

  test('bytes that arrived with the 101 (head) are not lost', async () => {
    const [, z] = duplexPair();
    const head = Buffer.concat([encodeFrame(PortForwardChannel.data, 'early'), encodeFrame(PortForwardChannel.end, '')]);
    assert.equal(await read(new FramedDuplex(z, head)), 'early');
  });

  test('an error on one side reaches the other with its message', async () => {
    const [x, y] = duplexPair();
    const client = new FramedDuplex(x);
    const server = new FramedDuplex(y);
    server.on('error', () => undefined);
    const failed = new Promise<Error>((r) => client.once('error', r));
    client.resume();
    server.destroy(new Error('connection to the pod was reset'));
    assert.match((await failed).message, /connection to the pod was reset/);
  });

  test('splice relays two streams end to end and aborts both on a failure', async () => {
    const [x, y] = duplexPair();
    const [local, peer] = duplexPair();
    const remote = new FramedDuplex(y);
    splice(peer, new FramedDuplex(x));
    const got = read(remote);
    local.end('through splice');
    assert.equal(await got, 'through splice');

    const [x2, y2] = duplexPair();
    const peer2 = new PassThrough(); // a loopback stands in for the local TCP connection
    const remote2 = new FramedDuplex(y2);
    remote2.on('error', () => undefined);
    let reported = '';
    splice(peer2, new FramedDuplex(x2), (e) => { reported = e.message; });
    remote2.destroy(new Error('pod went away'));
    await new Promise((r) => peer2.once('close', r));
    assert.match(reported, /pod went away/);
  });
});
