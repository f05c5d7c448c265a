import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinTokenTable, nodeCredentialTable, replaceConfigToken, ttlLeft } from './tables.js';

const now = Date.parse('2030-01-02T00:00:00Z');

test('token list shows ID, time left, expiry and description, never a secret', () => {
  const t = joinTokenTable([
    { id: 'abc123', description: 'rack 4', createdAt: '2030-01-01T00:00:00Z', expires: '2030-01-02T23:00:00Z' },
    { id: 'def456', description: '', createdAt: '2030-01-01T00:00:00Z' },
    { id: 'old999', description: 'gone', createdAt: '2029-01-01T00:00:00Z', expires: '2030-01-01T00:00:00Z' },
  ], now);
  assert.deepEqual(t.header, ['ID', 'TTL', 'EXPIRES', 'DESCRIPTION']);
  assert.deepEqual(t.rows, [
    ['abc123', '23h', '2030-01-02T23:00:00Z', 'rack 4'],
    ['def456', '<forever>', '<never>', '<none>'],
    ['old999', '<expired>', '2030-01-01T00:00:00Z', 'gone'],
  ]);
  assert.equal(ttlLeft('2030-01-02T00:05:00Z', now), '5m');
});

test('node credentials show when each node first and last joined, and whether it has a node secret', () => {
  const t = nodeCredentialTable([
    { node: 'edge-1', firstJoin: '2029-12-30T00:00:00Z', lastJoin: '2030-01-01T23:00:00Z', nodeSecret: true, via: 'node-join-token' },
    { node: 'old-1', firstJoin: '2029-12-01T00:00:00Z', lastJoin: '2029-12-01T00:00:00Z', nodeSecret: false },
  ], now);
  assert.deepEqual(t.rows, [
    ['edge-1', '3d', '60m', 'yes', 'node-join-token'],
    ['old-1', '32d', '32d', 'no (joined before node secrets)', '<unknown>'],
  ]);
});

test('a rotated admin token replaces only the token line of a config file', () => {
  const before = '# Lantern client configuration\nserver: https://h:6443\ntoken: lt-admin-old\ncaData: QQ==\nauths:\n  r.example: x\n';
  assert.equal(replaceConfigToken(before, 'lt-admin-new'), before.replace('lt-admin-old', 'lt-admin-new'));
  assert.equal(replaceConfigToken('server: s', 't'), 'server: s\ntoken: t\n');
});
