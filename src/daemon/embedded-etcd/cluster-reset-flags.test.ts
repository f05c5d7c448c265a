/** --cluster-reset with the embedded etcd: the member's to do (not the SQLite restore), and only on a --cluster-init server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serverConfigFromArgs } from '../server-config.js';

const args = (...more: string[]): string[] => ['--data-dir', '/tmp/h5-flags', '--no-agent', ...more];

test('--cluster-init --cluster-reset resets the member, with or without a snapshot, and leaves SQLite alone', () => {
  const plain = serverConfigFromArgs(args('--cluster-init', '--cluster-reset'), {});
  assert.deepEqual(plain?.embeddedEtcd?.reset, {});
  assert.equal(plain?.datastore?.resetFrom, undefined, 'no SQLite restore is attempted');
  const restore = serverConfigFromArgs(args('--cluster-init', '--cluster-reset', '--cluster-reset-restore-path', 'snap.etcd'), {});
  assert.deepEqual(restore?.embeddedEtcd?.reset, { restoreFrom: path.resolve('snap.etcd') });
});

test('--cluster-reset is refused with --server (the survivor restarts with --cluster-init), and SQLite still needs a restore path', () => {
  assert.throws(() => serverConfigFromArgs(args('--server', 'https://10.0.0.1:6443', '--token', `K10${'a'.repeat(64)}::server:${'b'.repeat(20)}`, '--cluster-reset'), {}), /--cluster-init --cluster-reset/);
  assert.throws(() => serverConfigFromArgs(args('--cluster-reset'), {}), /needs --cluster-reset-restore-path/);
});
