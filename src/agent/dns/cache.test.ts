import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { AnswerCache } from './cache.js';

const a = (ttl: number, ip = '192.0.2.1'): Answer => ({ type: 'A', name: 'example.org', ttl, data: ip });
const soa = (ttl: number, minimum: number): Answer => ({
  type: 'SOA', name: 'org', ttl, data: { mname: 'ns.org', rname: 'h.org', serial: 1, refresh: 1, retry: 1, expire: 1, minimum },
});

describe('AnswerCache', () => {
  test('an answer lives for its smallest TTL and is handed back with the time left', () => {
    let now = 0;
    const c = new AnswerCache({ now: () => now });
    c.put('k', { rcode: 0, answers: [a(30), a(60, '192.0.2.2')], authorities: [], additionals: [] });
    now = 10_000;
    assert.deepEqual(c.get('k')?.answers.map((r) => r.type === 'A' && r.ttl), [20, 50]);
    now = 30_000;
    assert.equal(c.get('k'), undefined);
  });

  test('a negative answer lives for its SOA minimum, bounded by maxNegativeTtl', () => {
    let now = 0;
    const c = new AnswerCache({ now: () => now, maxNegativeTtl: 5 });
    c.put('nx', { rcode: 3, answers: [], authorities: [soa(600, 300)], additionals: [] });
    now = 4_000;
    assert.equal(c.get('nx')?.rcode, 3);
    now = 5_000;
    assert.equal(c.get('nx'), undefined);
  });

  test('SERVFAIL, TTL 0 and a negative answer without SOA are not kept', () => {
    const c = new AnswerCache();
    c.put('a', { rcode: 2, answers: [], authorities: [], additionals: [] });
    c.put('b', { rcode: 0, answers: [a(0)], authorities: [], additionals: [] });
    c.put('c', { rcode: 3, answers: [], authorities: [], additionals: [] });
    assert.equal(c.size, 0);
  });

  test('bounded: the least recently used answer goes first; long TTLs are capped', () => {
    let now = 0;
    const c = new AnswerCache({ maxEntries: 2, maxTtl: 100, now: () => now });
    c.put('1', { rcode: 0, answers: [a(86400)], authorities: [], additionals: [] });
    c.put('2', { rcode: 0, answers: [a(60)], authorities: [], additionals: [] });
    assert.ok(c.get('1'));
    c.put('3', { rcode: 0, answers: [a(60)], authorities: [], additionals: [] });
    assert.equal(c.size, 2);
    assert.equal(c.get('2'), undefined);
    now = 100_000;
    assert.equal(c.get('1'), undefined, 'capped at maxTtl');
  });

  test('keys ignore case and the trailing dot', () => {
    assert.equal(AnswerCache.key('Example.ORG.', 'A'), AnswerCache.key('example.org', 'A'));
    assert.notEqual(AnswerCache.key('example.org', 'A'), AnswerCache.key('example.org', 'AAAA'));
  });
});
