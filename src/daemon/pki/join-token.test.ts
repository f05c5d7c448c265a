import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { caHash, formatJoinToken, parseJoinToken, verifyCaPin } from './join-token.js';

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const hash = createHash('sha256').update(pem).digest('hex');

describe('join token', () => {
  test('is K10<sha256 of the CA PEM>::node:<secret> and parses back', () => {
    const text = formatJoinToken({ caHash: caHash(pem), secret: 'abc123' });
    assert.equal(text, `K10${hash}::node:abc123`);
    assert.deepEqual(parseJoinToken(text), { caHash: hash, secret: 'abc123' });
    assert.deepEqual(parseJoinToken(` ${text}\n`), { caHash: hash, secret: 'abc123' });
  });

  test('a token from "lcctl token create" (K10<hash>::<id>.<secret>) parses, with its id', () => {
    assert.deepEqual(parseJoinToken(`K10${hash}::abc123.0123456789abcdef`), { caHash: hash, id: 'abc123', secret: '0123456789abcdef' });
    assert.throws(() => parseJoinToken(`K10${hash}::ABC123.0123456789abcdef`), /K10<64 hex digits>::<id>\.<secret>/);
  });

  test('a malformed token is refused with what a valid one looks like', () => {
    for (const bad of ['', 'lt-node-abc', `K10${hash.slice(1)}::node:x`, `K10${hash}::server:x`, `K10${hash}::node:`]) {
      assert.throws(() => parseJoinToken(bad), /K10<64 hex digits>::node:<secret>/, bad);
    }
  });

  test('the CA the server sent must hash to the pinned value', () => {
    const token = parseJoinToken(formatJoinToken({ caHash: hash, secret: 's' }));
    assert.doesNotThrow(() => verifyCaPin(token, pem, 'https://x:6443'));
    assert.throws(() => verifyCaPin(token, pem.replace('MIIB', 'MIIC'), 'https://x:6443'), /refusing to join https:\/\/x:6443: its CA certificate hashes to [0-9a-f]{64}, but the join token pins/);
  });
});
