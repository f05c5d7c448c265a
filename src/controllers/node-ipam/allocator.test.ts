import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CidrAllocator } from './allocator.js';

describe('node CIDR allocator', () => {
  test('hands out distinct /24s from 10.42.0.0/16 in order, 256 of them', () => {
    const a = new CidrAllocator('10.42.0.0/16', 24);
    assert.equal(a.capacity, 256);
    assert.equal(a.allocate(), '10.42.0.0/24');
    assert.equal(a.allocate(), '10.42.1.0/24');
    const all = new Set(['10.42.0.0/24', '10.42.1.0/24']);
    for (let i = 2; i < 256; i++) all.add(a.allocate()!);
    assert.equal(all.size, 256);
    assert.ok(all.has('10.42.255.0/24'));
  });

  test('exhaustion: no range left gives undefined, a freed one is handed out again', () => {
    const a = new CidrAllocator('10.9.0.0/24', 26);
    const got = [a.allocate(), a.allocate(), a.allocate(), a.allocate()];
    assert.deepEqual(got, ['10.9.0.0/26', '10.9.0.64/26', '10.9.0.128/26', '10.9.0.192/26']);
    assert.equal(a.allocate(), undefined);
    a.release('10.9.0.64/26');
    assert.equal(a.allocate(), '10.9.0.64/26');
    assert.equal(a.allocate(), undefined);
  });

  test('a freed range is reused only after the untouched ones', () => {
    const a = new CidrAllocator('10.9.0.0/24', 26);
    const first = a.allocate()!;
    a.release(first);
    assert.equal(a.allocate(), '10.9.0.64/26');
  });

  test('restart: occupying the stored ranges first means none is handed out twice', () => {
    const before = new CidrAllocator('10.42.0.0/16', 24);
    const stored = [before.allocate()!, before.allocate()!, before.allocate()!];
    before.release(stored[1]!);
    const after = new CidrAllocator('10.42.0.0/16', 24);
    for (const c of [stored[0]!, stored[2]!]) assert.equal(after.occupy(c), true);
    const fresh = new Set([after.allocate(), after.allocate(), after.allocate()]);
    assert.ok(!fresh.has(stored[0]) && !fresh.has(stored[2]), [...fresh].join(','));
    assert.equal(after.used, 5);
  });

  test('occupy refuses a range taken twice, of another size, outside the cluster or not aligned', () => {
    const a = new CidrAllocator('10.42.0.0/16', 24);
    assert.equal(a.occupy('10.42.7.0/24'), true);
    assert.equal(a.occupy('10.42.7.0/24'), false);
    assert.equal(a.occupy('10.42.8.0/25'), false);
    assert.equal(a.occupy('10.43.0.0/24'), false);
    assert.equal(a.occupy('10.42.9.5/24'), false);
    assert.equal(a.occupy('garbage'), false);
  });

  test('bad settings name what to change', () => {
    assert.throws(() => new CidrAllocator('10.42.0.0', 24), /cluster CIDR "10.42.0.0" is not an IPv4 CIDR/);
    assert.throws(() => new CidrAllocator('10.42.0.0/16', 8), /mask size 8 must be between the cluster prefix \/16 and \/30/);
  });
});
