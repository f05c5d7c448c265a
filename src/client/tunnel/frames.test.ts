import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameType, TunnelFrameDecoder, encodeTunnelFrame, maxPayload } from './frames.js';

test('frames round-trip, split at any byte and packed together', () => {
  const bytes = Buffer.concat([
    encodeTunnelFrame(1, FrameType.open, JSON.stringify({ method: 'podLogs', args: ['default', 'p'] })),
    encodeTunnelFrame(0xfffffffe, FrameType.data, Buffer.from([0, 1, 2, 255])),
    encodeTunnelFrame(3, FrameType.end),
  ]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const d = new TunnelFrameDecoder();
    const frames = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
    assert.equal(frames.length, 3);
    assert.deepEqual(JSON.parse(frames[0]!.payload.toString()), { method: 'podLogs', args: ['default', 'p'] });
    assert.equal(frames[1]!.stream, 0xfffffffe);
    assert.equal(frames[1]!.type, FrameType.data);
    assert.deepEqual([...frames[1]!.payload], [0, 1, 2, 255]);
    assert.equal(frames[2]!.type, FrameType.end);
    assert.equal(frames[2]!.payload.length, 0);
  }
});

test('a frame longer than the limit is refused instead of buffered', () => {
  const header = Buffer.alloc(9);
  header.writeUInt32BE(1, 0);
  header.writeUInt8(FrameType.data, 4);
  header.writeUInt32BE(maxPayload + 1, 5);
  assert.throws(() => new TunnelFrameDecoder().push(header), /exceeds the \d+-byte limit/);
});
